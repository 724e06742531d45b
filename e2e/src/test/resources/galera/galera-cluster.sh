#!/usr/bin/env bash
# Throw-away two-node MariaDB Galera cluster for e2e tests.
#
#   galera-cluster.sh start DIR   # node 1 = 127.0.0.2:3316, node 2 = 127.0.0.3:3316
#   galera-cluster.sh stop  DIR
#
# Both nodes use port 3316 on distinct loopback addresses so they never clash
# with a system MariaDB on 127.0.0.1:3306. Everything (datadir, socket, pid,
# log, config) lives under DIR/node1 and DIR/node2.
set -euo pipefail

PORT=3316
ADDRS=(127.0.0.2 127.0.0.3)
PROVIDER=/usr/lib/galera/libgalera_smm.so
CLUSTER_ADDRESS="gcomm://127.0.0.2:4567,127.0.0.3:4567"
TIMEOUT=${GALERA_TIMEOUT:-90}
# Not root: when rsync SST runs as root, the joiner's rsync daemon drops to
# uid "nobody" and cannot write the 0700 datadir ("cannot stat destination").
# GALERA_USER=root therefore only works with mariabackup SST.
if id mysql >/dev/null 2>&1; then RUN_AS=${GALERA_USER:-mysql}; else RUN_AS=${GALERA_USER:-root}; fi
# Always --no-defaults: /etc/mysql/my.cnf points clients at the system socket.
CLIENT=(mariadb --no-defaults -uroot --connect-timeout=2 -N -B)

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
log() { echo "[galera] $*" >&2; }

[[ $# -eq 2 ]] || usage
CMD=$1
mkdir -p "$2"
DIR=$(cd "$2" && pwd)

node_dir() { echo "$DIR/node$1"; }
node_addr() { echo "${ADDRS[$(($1 - 1))]}"; }

# Prints pids of mariadbd processes belonging to this DIR's node. Checks the
# cmdline so a stale pid file can never make us kill an unrelated process
# (e.g. the system MariaDB).
node_pids() {
    local d pid
    d=$(node_dir "$1")
    for f in "$d/mariadbd.pid" "$d/launcher.pid"; do
        [[ -s $f ]] || continue
        pid=$(cat "$f")
        if [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--defaults-file=$d/my.cnf"; then
            echo "$pid"
        fi
    done | sort -u
}

# A killed server can linger as a zombie until whoever inherited it reaps it;
# kill -0 would still succeed, so look at the process state instead.
alive() {
    local st
    st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [[ -n $st && $st != Z ]]
}

stop_node() {
    local n=$1 pids pid i
    pids=$(node_pids "$n")
    if [[ -n $pids ]]; then
        log "stopping node $n (pid $(echo $pids))"
        kill -TERM $pids 2>/dev/null || true
        for ((i = 0; i < 30; i++)); do
            pids=$(for pid in $pids; do alive "$pid" && echo "$pid"; done || true)
            [[ -z $pids ]] && break
            sleep 1
        done
        if [[ -n $pids ]]; then
            log "node $n did not exit in 30s, kill -9"
            # mariadbd was started with setsid, so its pid is also the process
            # group id; -9 on the group also takes out SST helpers (rsync etc.).
            for pid in $pids; do kill -9 -- "-$pid" 2>/dev/null || kill -9 "$pid" 2>/dev/null || true; done
            for ((i = 0; i < 10; i++)); do
                pids=$(for pid in $pids; do alive "$pid" && echo "$pid"; done || true)
                [[ -z $pids ]] && break
                sleep 0.5
            done
        fi
    fi
    # A killed SST may leave an rsync daemon behind; it is in the node's group.
    local lp
    lp=$(cat "$(node_dir "$n")/launcher.pid" 2>/dev/null || true)
    [[ -n $lp ]] && pgrep -g "$lp" >/dev/null 2>&1 && kill -9 -- "-$lp" 2>/dev/null || true
    rm -f "$(node_dir "$n")/launcher.pid"
}

write_config() {
    local n=$1 d addr sst
    d=$(node_dir "$n")
    addr=$(node_addr "$n")
    if command -v rsync >/dev/null; then
        sst=rsync
    elif command -v mariabackup >/dev/null || command -v mariadb-backup >/dev/null; then
        sst=mariabackup
    else
        log "rsync missing, installing it for SST"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q rsync >&2
        sst=rsync
    fi
    cat >"$d/my.cnf" <<EOF
[mysqld]
user=$RUN_AS
datadir=$d/data
socket=$d/mysqld.sock
pid-file=$d/mariadbd.pid
log-error=$d/mariadbd.log
tmpdir=$d/tmp
bind-address=$addr
port=$PORT
skip-name-resolve
character-set-server=utf8mb4
collation-server=utf8mb4_general_ci
performance_schema=OFF
innodb_buffer_pool_size=64M
innodb_log_file_size=32M
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_flush_log_at_trx_commit=2

wsrep_on=ON
wsrep_provider=$PROVIDER
wsrep_cluster_name=e2e_galera
wsrep_cluster_address=$CLUSTER_ADDRESS
wsrep_node_name=node$n
wsrep_node_address=$addr
wsrep_node_incoming_address=$addr:$PORT
wsrep_sst_method=$sst
wsrep_sst_receive_address=$addr:4444
# gmcast listens on 0.0.0.0 by default, which would make the two nodes fight
# over 4567; pin both group-communication and IST to the node's own address.
wsrep_provider_options="gmcast.listen_addr=tcp://$addr:4567;ist.recv_addr=$addr:4568;gcache.size=32M;pc.recovery=FALSE"
EOF
}

init_node() {
    local n=$1 d
    d=$(node_dir "$n")
    mkdir -p "$d/tmp"
    write_config "$n"
    if [[ $RUN_AS != root ]] && ! runuser -u "$RUN_AS" -- test -x "$d"; then
        log "user $RUN_AS cannot reach $d; pick a DIR whose parents are world-executable"
        exit 1
    fi
    # Node 2 always gets a full SST from node 1 (see do_start), which replaces
    # its datadir wholesale, so initialising it would only cost ~2-3 s.
    if [[ $n == 2 ]]; then
        mkdir -p "$d/data"
    fi
    chown -R "$RUN_AS:" "$d"
    if [[ $n == 1 && ! -d $d/data/mysql ]]; then
        rm -rf "$d/data"
        log "initialising datadir for node $n"
        mariadb-install-db --defaults-file="$d/my.cnf" --wsrep-on=OFF \
            --skip-test-db --auth-root-authentication-method=socket \
            >"$d/install-db.log" 2>&1 || { cat "$d/install-db.log" >&2; exit 1; }
    fi
    rm -f "$d/mariadbd.log" "$d/data/gvwstate.dat"
}

launch_node() {
    local n=$1 d
    shift
    d=$(node_dir "$n")
    # setsid: the server must outlive this script and its caller's process group
    # (Maven/JUnit may kill that); it also gives us a group to kill -9 later.
    setsid mariadbd --defaults-file="$d/my.cnf" "$@" </dev/null >>"$d/mariadbd.out" 2>&1 &
    echo $! >"$d/launcher.pid"
}

status_of() { # node var -> value, or empty when unreachable
    "${CLIENT[@]}" -h"$(node_addr "$1")" -P$PORT \
        -e "SHOW GLOBAL STATUS LIKE '$2'" 2>/dev/null | awk '{print $2}'
}

fail() {
    log "FAILED: $*"
    for n in 1 2; do
        echo "----- node $n: $(node_dir "$n")/mariadbd.log (tail) -----" >&2
        tail -n 40 "$(node_dir "$n")/mariadbd.log" >&2 2>/dev/null || true
        tail -n 10 "$(node_dir "$n")/mariadbd.out" >&2 2>/dev/null || true
    done
    stop_node 2
    stop_node 1
    exit 1
}

check_alive() {
    local n=$1 lp
    lp=$(cat "$(node_dir "$n")/launcher.pid")
    alive "$lp" || fail "node $n (pid $lp) exited during startup"
}

do_start() {
    local deadline d1 n
    deadline=$((SECONDS + TIMEOUT))
    # Leftovers from a previous run on the same DIR would hold the ports.
    stop_node 2
    stop_node 1
    init_node 1
    init_node 2
    d1=$(node_dir 1)

    # Leftover state from an unclean shutdown would refuse the bootstrap, so
    # node 1 is always declared safe to bootstrap ...
    if [[ -f $d1/data/grastate.dat ]]; then
        sed -i 's/^safe_to_bootstrap:.*/safe_to_bootstrap: 1/' "$d1/data/grastate.dat"
    fi
    # ... and node 2 forgets its position, forcing a full SST from node 1 so it
    # can never be "ahead" of the bootstrap node.
    rm -f "$(node_dir 2)/data/grastate.dat"

    log "bootstrapping node 1 on $(node_addr 1):$PORT"
    launch_node 1 --wsrep-new-cluster
    until "${CLIENT[@]}" -S "$d1/mysqld.sock" -e "SELECT 1" >/dev/null 2>&1; do
        check_alive 1
        ((SECONDS < deadline)) || fail "node 1 did not come up in ${TIMEOUT}s"
        sleep 0.3
    done
    # The socket login works via unix_socket auth (we are root); tests need TCP
    # from 127.0.0.x with an empty password. Replicated to node 2 by TOI/SST.
    "${CLIENT[@]}" -S "$d1/mysqld.sock" -e "
        CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '';
        GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;" || fail "could not create root@%"

    log "joining node 2 on $(node_addr 2):$PORT"
    launch_node 2

    for n in 1 2; do
        until [[ $(status_of "$n" wsrep_cluster_size) == 2 && $(status_of "$n" wsrep_ready) == ON \
            && $(status_of "$n" wsrep_local_state_comment) == Synced ]]; do
            check_alive 1
            check_alive 2
            ((SECONDS < deadline)) || fail "node $n not synced in a 2-node cluster after ${TIMEOUT}s"
            sleep 0.5
        done
    done
    echo "galera ready"
}

do_stop() {
    # Stop the joiner first so node 1 shuts down last and stays safe to bootstrap.
    stop_node 2
    stop_node 1
}

case $CMD in
start) do_start ;;
stop) do_stop ;;
*) usage ;;
esac
