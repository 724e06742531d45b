'use strict';
// The background-task dashboard: one page, hash routes, the JSON API under api/. Every value from
// the server reaches the page as text (textContent), never as HTML.

const STATES = ['waiting', 'scheduled', 'running', 'failed', 'succeeded'];
const app = { session: null, timer: null, view: null, generation: 0 };

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on')) element.addEventListener(key.slice(2), value);
    else if (key === 'class') element.className = value;
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

function svg(tag, attributes, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attributes || {})) element.setAttribute(key, String(value));
  for (const child of children) element.append(child instanceof Node ? child : String(child));
  return element;
}

async function api(path, body) {
  const init = { headers: { Accept: 'application/json' }, credentials: 'same-origin' };
  if (body !== undefined) {
    init.method = 'POST';
    init.headers['Content-Type'] = 'application/json';
    init.headers['X-Bgtask-Csrf'] = app.session.csrf;
    init.body = JSON.stringify(body);
  }
  const response = await fetch('api/' + path, init);
  const data = await response.json().catch(() => ({ error: response.status + ' ' + response.statusText }));
  if (!response.ok) throw new Error(data.error || response.statusText);
  return data;
}

// ---- formatting ----

const number = (value) => (value === null || value === undefined ? '–' : Number(value).toLocaleString('en-US'));

function duration(seconds) {
  if (seconds === null || seconds === undefined) return '–';
  const abs = Math.abs(seconds);
  if (abs < 1) return Math.round(seconds * 1000) + ' ms';
  if (abs < 60) return (Math.round(seconds * 10) / 10) + ' s';
  if (abs < 3600) return Math.round(seconds / 60) + ' min';
  if (abs < 86400) return (Math.round(seconds / 360) / 10) + ' h';
  return (Math.round(seconds / 8640) / 10) + ' d';
}

function relative(instant, now) {
  if (!instant) return '–';
  const seconds = (Date.parse(now) - Date.parse(instant)) / 1000;
  return seconds >= 0 ? duration(seconds) + ' ago' : 'in ' + duration(-seconds);
}

const time = (instant, now) => (instant ? h('span', { title: instant }, relative(instant, now)) : '–');
const queueName = (queue) => (queue === '' ? '(default)' : queue);
const stateBadge = (state) => h('span', { class: 'state ' + state }, state);
const taskLink = (id) => h('a', { href: '#/task/' + id, 'data-test': 'task-link' }, '#' + id);

function toast(message, error) {
  const element = document.getElementById('toast');
  element.textContent = message;
  element.className = error ? 'error' : '';
  element.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { element.hidden = true; }, 5000);
}

function confirmAction(text) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

/** A button that runs an action, reports its result and refreshes the page; hidden in read-only mode. */
function action(label, test, run, options = {}) {
  if (app.session.readOnly) return null;
  return h('button', {
    class: 'small ' + (options.danger ? 'danger' : ''), 'data-test': test,
    onclick: async (event) => {
      event.preventDefault();
      if (options.confirm && !(await confirmAction(options.confirm))) return;
      try {
        const result = await run();
        toast(result.result || (result.done !== undefined ? number(result.done) + ' done' : 'done'));
      } catch (error) {
        toast(error.message, true);
      }
      refreshNow();
    },
  }, label);
}

function table(headers, rows, empty) {
  if (rows.length === 0) return h('div', { class: 'empty' }, empty);
  return h('table', {},
    h('thead', {}, h('tr', {}, headers.map((header) => h('th', { class: header.startsWith('#') ? 'num' : '' }, header.replace(/^#/, ''))))),
    h('tbody', {}, rows));
}

// ---- pages: each builds its frame once and returns update(), which the refresh calls ----

function overviewPage(root) {
  root.append(h('h1', {}, 'Overview'));
  const cards = h('div', { class: 'cards', 'data-test': 'state-counts' });
  const chart = h('div', { class: 'panel' });
  const timing = h('div', { class: 'panel' });
  const queues = h('div');
  root.append(cards, h('div', { class: 'charts' }, chart, timing), h('h2', {}, 'Queues'), queues);
  return async () => {
    const data = await api('overview');
    cards.replaceChildren(
      ...STATES.map((state) => {
        const value = data.states[state];
        const text = typeof value === 'object' ? number(value.count) + (value.capped ? '+' : '') : number(value);
        return h('a', { class: 'card ' + state, href: '#/tasks/' + state, 'data-test': 'count-' + state },
          h('div', { class: 'value' }, text), h('div', { class: 'label' }, state));
      }),
      h('div', { class: 'card' }, h('div', { class: 'value', 'data-test': 'oldest-waiting' }, duration(data.oldestWaitingSeconds)),
        h('div', { class: 'label' }, 'oldest waiting')),
      h('a', { class: 'card', href: '#/workers' }, h('div', { class: 'value' }, number(data.liveWorkers)),
        h('div', { class: 'label' }, 'live worker JVMs')));
    chart.replaceChildren(h('div', { class: 'legend' }, h('strong', {}, 'Last hour, per minute  '),
      h('span', {}, h('span', { class: 'dot succeeded' }), 'succeeded'), h('span', {}, h('span', { class: 'dot failed' }), 'failed')),
      barChart(data.minutes));
    timing.replaceChildren(h('strong', {}, 'Last hour'), h('dl', { class: 'fields', 'data-test': 'percentiles' },
      h('dt', {}, 'run time p50 / p95'), h('dd', {}, duration(data.runTime.p50) + ' / ' + duration(data.runTime.p95)),
      h('dt', {}, 'queue wait p50 / p95'), h('dd', {}, duration(data.queueWait.p50) + ' / ' + duration(data.queueWait.p95)),
      h('dt', {}, 'attempts'), h('dd', {}, number(data.runTime.count))));
    queues.replaceChildren(queueTable(data.queues));
  };
}

function barChart(minutes) {
  const width = 600;
  const height = 140;
  const max = Math.max(1, ...minutes.map((m) => m.succeeded + m.failed));
  const step = width / minutes.length;
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height + 16}`, preserveAspectRatio: 'none', 'data-test': 'throughput-chart' });
  minutes.forEach((minute, i) => {
    const ok = (minute.succeeded / max) * height;
    const bad = (minute.failed / max) * height;
    const x = i * step + 1;
    const title = svg('title', {}, `${minute.minute}: ${minute.succeeded} succeeded, ${minute.failed} failed`);
    if (ok > 0) chart.append(svg('rect', { class: 'succeeded', x, y: height - ok, width: step - 2, height: ok }, title));
    if (bad > 0) chart.append(svg('rect', { class: 'failed', x, y: height - ok - bad, width: step - 2, height: bad }, title.cloneNode(true)));
  });
  chart.append(svg('text', { class: 'axis', x: 2, y: 10 }, number(max) + '/min'));
  chart.append(svg('text', { class: 'axis', x: 2, y: height + 14 }, '60 min ago'));
  chart.append(svg('text', { class: 'axis', x: width - 24, y: height + 14 }, 'now'));
  return chart;
}

function queueTable(queues) {
  return table(['queue', '#waiting', '#scheduled', '#running', '#oldest waiting', '#succeeded (1 h)', '#failed (1 h)', 'state', ''],
    queues.map((queue) => h('tr', { 'data-test': 'queue-row', 'data-queue': queue.queue },
      h('td', {}, h('a', { href: '#/tasks/waiting?queue=' + encodeURIComponent(queue.queue) }, queueName(queue.queue))),
      h('td', { class: 'num' }, number(queue.waiting)), h('td', { class: 'num' }, number(queue.scheduled)),
      h('td', { class: 'num' }, number(queue.running)), h('td', { class: 'num' }, duration(queue.oldestWaitingSeconds)),
      h('td', { class: 'num' }, number(queue.succeededLastHour)), h('td', { class: 'num' }, number(queue.failedLastHour)),
      h('td', {}, stateBadge(queue.paused ? 'paused' : 'active')),
      h('td', {}, queue.paused
        ? action('Resume', 'resume-queue', () => api('queues/resume', { queue: queue.queue }))
        : action('Pause', 'pause-queue', () => api('queues/pause', { queue: queue.queue }),
          { confirm: `Pause queue ${queueName(queue.queue)} in every JVM? Running tasks finish; nothing new starts.` })))),
    'No queues yet: no task has been stored.');
}

function queuesPage(root) {
  root.append(h('h1', {}, 'Queues'), h('p', { class: 'muted' }, 'Pausing a queue is stored in the database: every worker JVM stops taking its tasks.'));
  const body = h('div');
  root.append(body);
  return async () => body.replaceChildren(queueTable((await api('queues')).queues));
}

function tasksPage(root, parts, params) {
  const state = STATES.includes(parts[1]) ? parts[1] : 'waiting';
  const filter = {};
  for (const key of ['id', 'name', 'queue', 'args']) if (params.get(key)) filter[key] = params.get(key);
  const before = params.get('before');
  const link = (target, extra) => '#/tasks/' + target + '?' + new URLSearchParams({ ...filter, ...extra }).toString();
  root.append(h('h1', {}, 'Tasks'));
  root.append(h('div', { class: 'tabs' }, STATES.map((s) => h('a', { href: link(s, {}), class: s === state ? 'active' : '', 'data-test': 'tab-' + s }, s))));
  const field = (name, label, size) => h('label', {}, label, h('input', { name, value: filter[name] || '', size, 'data-test': 'search-' + name }));
  const form = h('form', { class: 'search', 'data-test': 'search' },
    field('id', 'id', 8), field('name', 'name contains', 24), field('queue', 'queue', 12), field('args', 'arguments contain', 24),
    h('button', { class: 'primary', type: 'submit', 'data-test': 'search-submit' }, 'Search'),
    h('a', { href: '#/tasks/' + state }, 'clear'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const values = {};
    for (const [key, value] of new FormData(form).entries()) if (value.trim()) values[key] = value.trim();
    location.hash = '#/tasks/' + state + '?' + new URLSearchParams(values).toString();
  });
  const bulk = h('div', { class: 'actions' });
  if (!app.session.readOnly) {
    if (state === 'failed') bulk.append(bulkButton('Retry all matching…', 'bulk-retry', 'retry', state, filter));
    if (state !== 'running') bulk.append(bulkButton('Delete all matching…', 'bulk-delete', 'delete', state, filter));
  }
  const list = h('div');
  const pager = h('div', { class: 'pager' });
  root.append(form, bulk, h('div', { class: 'panel' }, list, pager));
  return async () => {
    const query = new URLSearchParams({ state, ...filter, ...(before ? { before } : {}) });
    const data = await api('tasks?' + query.toString());
    list.replaceChildren(taskTable(state, data.tasks, data.now));
    pager.replaceChildren(
      before ? h('a', { href: link(state, {}), 'data-test': 'newest' }, '← newest') : '',
      data.nextBefore ? h('a', { href: link(state, { before: data.nextBefore }), 'data-test': 'older' }, 'older →') : '',
      h('span', { class: 'muted' }, data.tasks.length + ' shown, newest first'));
  };
}

function bulkButton(label, test, kind, state, filter) {
  return h('button', {
    'data-test': test,
    onclick: async () => {
      try {
        const counted = await api('tasks/count?' + new URLSearchParams({ state, ...filter }).toString());
        if (counted.count === 0) { toast('No ' + state + ' task matches.'); return; }
        const what = (counted.capped ? 'the first ' : '') + number(counted.count) + ' ' + state + ' task' + (counted.count === 1 ? '' : 's');
        const search = Object.keys(filter).length ? ' matching this search' : '';
        if (!(await confirmAction(`${kind === 'retry' ? 'Retry' : 'Delete'} ${what}${search}?`))) return;
        const result = await api('tasks/bulk', { action: kind, filter: { state, ...filter }, expected: counted.count });
        toast((kind === 'retry' ? 'Retried ' : 'Deleted ') + number(result.done) + ' task(s)');
      } catch (error) {
        toast(error.message, true);
      }
      refreshNow();
    },
  }, label);
}

function taskActions(task, state) {
  const id = task.id;
  return h('div', { class: 'actions' },
    state === 'failed' ? action('Retry', 'retry', () => api(`tasks/${id}/retry`, {})) : null,
    state === 'waiting' || state === 'scheduled' ? action('Run now', 'run-now', () => api(`tasks/${id}/run-now`, {})) : null,
    state === 'running' ? action('Cancel', 'cancel', () => api(`tasks/${id}/cancel`, {}),
      { danger: true, confirm: `Cancel running task #${id}? Its body is interrupted and it is kept as failed, not retried.` }) : null,
    state !== 'running' ? action('Delete', 'delete', () => api(`tasks/${id}/delete`, {}), { confirm: `Delete task #${id}?` }) : null);
}

function taskTable(state, tasks, now) {
  const when = { waiting: 'due', scheduled: 'due', running: 'claimed', failed: 'finished', succeeded: 'finished' }[state];
  return table(['#id', 'task', 'queue', 'arguments', '#attempts', when, 'last error', ''],
    tasks.map((task) => h('tr', { 'data-test': 'task-row', 'data-id': task.id },
      h('td', { class: 'num' }, taskLink(task.id)),
      h('td', {}, task.verbose_name || task.task_name, task.cancel_requested_at ? h('span', { class: 'state failed' }, ' cancelling') : ''),
      h('td', {}, queueName(task.queue_name)),
      h('td', {}, h('code', {}, task.arguments)),
      h('td', { class: 'num' }, task.attempts + ' / ' + task.max_attempts),
      h('td', {}, time({ due: task.due_at, claimed: task.claimed_at, finished: task.finished_at }[when], now)),
      h('td', {}, task.last_error || ''),
      h('td', {}, taskActions(task, state)))),
    'No ' + state + ' tasks' + (location.hash.includes('?') && location.hash.split('?')[1] ? ' match this search.' : '.'));
}

const FIELD_ORDER = ['id', 'state', 'task_name', 'verbose_name', 'queue_name', 'priority', 'attempts', 'max_attempts',
  'created_at', 'due_at', 'scheduled_for', 'claimed_at', 'claimed_by', 'cancel_requested_at', 'failed_at', 'finished_at',
  'outcome', 'class_name', 'method_name', 'descriptor', 'repeat_period', 'repeat_until', 'max_run_seconds', 'creator'];

function taskPage(root, parts) {
  const id = parts[1];
  const body = h('div');
  root.append(h('h1', {}, 'Task #' + id), body);
  return async () => {
    const task = await api('tasks/' + encodeURIComponent(id));
    const now = app.session.now;
    const fields = h('dl', { class: 'fields', 'data-test': 'task-fields' });
    const rank = (key) => (FIELD_ORDER.includes(key) ? FIELD_ORDER.indexOf(key) : FIELD_ORDER.length);
    for (const [key, value] of Object.entries(task).sort((a, b) => rank(a[0]) - rank(b[0]))) {
      if (['arguments', 'last_error', 'worker'].includes(key) || value === null) continue;
      fields.append(h('dt', {}, key), h('dd', {}, key === 'state' ? stateBadge(value) : String(value)));
    }
    let args = task.arguments;
    try { args = JSON.stringify(JSON.parse(task.arguments), null, 2); } catch (ignored) { /* shown as stored */ }
    body.replaceChildren(
      taskActions(task, task.state), h('div', { class: 'panel' }, fields),
      h('h2', {}, 'Arguments'), h('pre', { 'data-test': 'arguments' }, args),
      task.last_error ? h('h2', {}, 'Last error') : '', task.last_error ? h('pre', { 'data-test': 'last-error' }, task.last_error) : '',
      task.worker ? h('h2', {}, 'Worker running it') : '',
      task.worker ? h('dl', { class: 'fields panel', 'data-test': 'worker' }, h('dt', {}, 'id'), h('dd', {}, task.worker.id),
        h('dt', {}, 'host / pid'), h('dd', {}, task.worker.host + ' / ' + task.worker.pid),
        h('dt', {}, 'last heartbeat'), h('dd', {}, relative(task.worker.heartbeat_at, now))) : '');
  };
}

function workersPage(root) {
  root.append(h('h1', {}, 'Workers'));
  const body = h('div');
  root.append(body);
  return async () => {
    const data = await api('workers');
    body.replaceChildren(table(['worker', 'host', '#pid', '#threads', 'queues', 'started', 'heartbeat', 'state', 'running'],
      data.workers.map((worker) => h('tr', { 'data-test': 'worker-row' },
        h('td', {}, h('code', {}, worker.id)), h('td', {}, worker.host), h('td', { class: 'num' }, worker.pid),
        h('td', { class: 'num' }, worker.threads), h('td', {}, worker.queues || 'all'),
        h('td', {}, time(worker.started_at, data.now)), h('td', {}, duration(worker.heartbeatAgeMs / 1000) + ' ago'),
        h('td', {}, stateBadge(worker.alive ? 'alive' : 'dead')),
        h('td', {}, worker.running.map((task) => h('div', {}, taskLink(task.id), ' ', task.task_name))))),
      'No worker JVM is registered.'));
  };
}

function recurringPage(root) {
  root.append(h('h1', {}, 'Recurring schedules'));
  const body = h('div');
  root.append(body);
  return async () => {
    const data = await api('recurring');
    body.replaceChildren(table(['name', 'task', 'when', 'queue', 'next fire', 'state', ''],
      data.schedules.map((schedule) => h('tr', { 'data-test': 'schedule-row', 'data-name': schedule.name },
        h('td', {}, schedule.name), h('td', {}, schedule.task_name),
        h('td', {}, schedule.cron ? h('code', {}, schedule.cron) : 'every ' + duration(schedule.period_ms / 1000)),
        h('td', {}, queueName(schedule.queue_name)),
        h('td', {}, schedule.disabled ? '–' : time(schedule.next_fire_at, data.now)),
        h('td', {}, stateBadge(schedule.disabled ? 'disabled' : 'enabled')),
        h('td', {}, h('div', { class: 'actions' },
          action('Run now', 'run-schedule', () => api('recurring/run-now', { name: schedule.name })),
          schedule.disabled
            ? action('Enable', 'enable-schedule', () => api('recurring/enable', { name: schedule.name }))
            : action('Disable', 'disable-schedule', () => api('recurring/disable', { name: schedule.name })))))),
      'No recurring schedule is registered.'));
  };
}

// ---- routing and refresh ----

const PAGES = { overview: overviewPage, tasks: tasksPage, task: taskPage, workers: workersPage, queues: queuesPage, recurring: recurringPage };

function route() {
  const [path, query] = (location.hash.slice(1) || '/overview').split('?');
  const parts = path.split('/').filter(Boolean);
  return { parts: PAGES[parts[0]] ? parts : ['overview'], params: new URLSearchParams(query || '') };
}

function navigate() {
  const { parts, params } = route();
  const root = document.getElementById('page');
  root.replaceChildren();
  for (const link of document.querySelectorAll('[data-nav]')) link.classList.toggle('active', link.dataset.nav === parts[0] || (parts[0] === 'task' && link.dataset.nav === 'tasks'));
  app.view = PAGES[parts[0]](root, parts, params);
  app.generation++;
  refreshNow();
}

async function refreshNow() {
  clearTimeout(app.timer);
  const generation = app.generation;
  try {
    app.session.now = (await api('session')).now;
    await app.view();
    if (generation === app.generation) document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (error) {
    toast(error.message, true);
  }
  schedule();
}

function schedule() {
  clearTimeout(app.timer);
  const interval = Number(document.getElementById('refresh').value);
  if (interval > 0) {
    app.timer = setTimeout(() => {
      const busy = document.getElementById('confirm').open || document.hidden || document.activeElement?.tagName === 'INPUT';
      if (busy) schedule(); else refreshNow();
    }, interval);
  }
}

async function start() {
  const refresh = document.getElementById('refresh');
  refresh.value = localStorage.getItem('bgtask.refresh') || refresh.value;
  refresh.addEventListener('change', () => { localStorage.setItem('bgtask.refresh', refresh.value); schedule(); });
  try {
    app.session = await api('session');
  } catch (error) {
    document.getElementById('page').replaceChildren(h('div', { class: 'empty' }, error.message));
    return;
  }
  document.getElementById('read-only').hidden = !app.session.readOnly;
  window.addEventListener('hashchange', navigate);
  navigate();
}

start();
