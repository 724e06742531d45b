package dev.bgtask.runtime.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ibatis.builder.SqlSourceBuilder;
import org.apache.ibatis.mapping.BoundSql;
import org.apache.ibatis.mapping.ParameterMapping;
import org.apache.ibatis.mapping.SqlSource;
import org.apache.ibatis.parsing.PropertyParser;
import org.apache.ibatis.reflection.MetaClass;
import org.apache.ibatis.reflection.invoker.Invoker;
import org.apache.ibatis.scripting.xmltags.XMLLanguageDriver;
import org.apache.ibatis.session.Configuration;

/**
 * An INSERT of one row per element of the list parameter {@code tasks}, written as the statement for
 * one {@link NewTask}: {@code INSERT INTO t (a, b) VALUES (#{a}, #{b})}. Its text and parameters are
 * built once per number of rows. MyBatis's {@code <foreach>} builds and parses the whole statement
 * again at every call, a regular expression per parameter, and on a 4-thread enqueue that cost more
 * JVM time than sharing the commit saved.
 */
final class MultiRowInsert implements SqlSource {

  /** Use with {@code @Lang} on a mapper method taking {@code @Param("tasks") List<NewTask>}. */
  public static final class Driver extends XMLLanguageDriver {
    @Override
    public SqlSource createSqlSource(Configuration configuration, String script, Class<?> parameterType) {
      return new MultiRowInsert(configuration, PropertyParser.parse(script, configuration.getVariables()));
    }
  }

  private static final String LIST = "tasks";
  private static final String VALUES = " VALUES ";

  private final Configuration configuration;
  private final String head;
  private final String row;
  private final List<ParameterMapping> rowParameters;
  private final List<Invoker> rowGetters;
  private final Map<Integer, BoundSql> bySize = new ConcurrentHashMap<>();

  private MultiRowInsert(Configuration configuration, String statement) {
    int values = statement.indexOf(VALUES);
    if (values < 0) {
      throw new IllegalArgumentException("not an INSERT ... VALUES (...): " + statement);
    }
    this.configuration = configuration;
    this.head = statement.substring(0, values + VALUES.length());
    BoundSql oneRow = new SqlSourceBuilder(configuration)
        .parse(statement.substring(values + VALUES.length()), NewTask.class, Map.of()).getBoundSql(null);
    this.row = oneRow.getSql();
    this.rowParameters = oneRow.getParameterMappings();
    MetaClass newTask = MetaClass.forClass(NewTask.class, configuration.getReflectorFactory());
    this.rowGetters = rowParameters.stream().map(parameter -> newTask.getGetInvoker(parameter.getProperty())).toList();
  }

  /**
   * The values are bound as additional parameters named {@code p0, p1, ...}, read from each task by
   * its getters: MyBatis would otherwise resolve a path like {@code tasks[3].dueAt} per value.
   */
  @Override
  public BoundSql getBoundSql(Object parameterObject) {
    List<?> tasks = (List<?>) ((Map<?, ?>) parameterObject).get(LIST);
    BoundSql template = bySize.computeIfAbsent(tasks.size(), this::template);
    List<ParameterMapping> parameters = template.getParameterMappings();
    BoundSql bound = new BoundSql(configuration, template.getSql(), parameters, parameterObject);
    int next = 0;
    for (Object task : tasks) {
      for (Invoker getter : rowGetters) {
        bound.setAdditionalParameter(parameters.get(next++).getProperty(), valueOf(getter, task));
      }
    }
    return bound;
  }

  private static Object valueOf(Invoker getter, Object task) {
    try {
      return getter.invoke(task, null);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read a new task's " + getter, e);
    }
  }

  private BoundSql template(int rows) {
    StringBuilder sql = new StringBuilder(head);
    List<ParameterMapping> parameters = new ArrayList<>(rows * rowParameters.size());
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append(row);
      for (ParameterMapping parameter : rowParameters) {
        parameters.add(new ParameterMapping.Builder(configuration, "p" + parameters.size(), parameter.getTypeHandler())
            .jdbcType(parameter.getJdbcType()).build());
      }
    }
    return new BoundSql(configuration, sql.toString(), List.copyOf(parameters), null);
  }
}
