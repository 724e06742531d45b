package dev.bgtask.runtime.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
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
 * one {@link NewTask}: {@code INSERT INTO t (a, b) VALUES (#{a}, #{b})}. A column that is null in
 * every row of the batch is left out, so it takes its default, which is NULL for every nullable
 * column of the task table: a plain call leaves 9 of the 20 empty, and binding them cost the
 * writer more than their absence costs the database. The text and parameters are built once per
 * number of rows and set of columns. MyBatis's {@code <foreach>} builds and parses the whole
 * statement again at every call, a regular expression per parameter, and on a 4-thread enqueue that
 * cost more JVM time than sharing the commit saved.
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

  /** How many rows, and which columns (bit i: column i) a statement names. */
  private record Shape(int rows, long columns) {}

  private final Configuration configuration;
  private final String into;
  private final List<String> columns;
  private final List<ParameterMapping> rowParameters;
  private final List<Invoker> rowGetters;
  private final Map<Shape, BoundSql> byShape = new ConcurrentHashMap<>();

  private MultiRowInsert(Configuration configuration, String statement) {
    int values = statement.indexOf(VALUES);
    int open = statement.indexOf('(');
    int close = statement.lastIndexOf(')', values);
    if (values < 0 || open < 0 || close < open) {
      throw new IllegalArgumentException("not an INSERT INTO t (...) VALUES (...): " + statement);
    }
    this.configuration = configuration;
    this.into = statement.substring(0, open);
    this.columns = Arrays.stream(statement.substring(open + 1, close).split(",")).map(String::trim).toList();
    this.rowParameters = new SqlSourceBuilder(configuration)
        .parse(statement.substring(values + VALUES.length()), NewTask.class, Map.of()).getBoundSql(null).getParameterMappings();
    if (columns.size() != rowParameters.size() || columns.size() >= Long.SIZE) {
      throw new IllegalArgumentException(columns.size() + " columns for " + rowParameters.size() + " values: " + statement);
    }
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
    Object[][] rows = new Object[tasks.size()][];
    long named = 0;
    for (int i = 0; i < rows.length; i++) {
      rows[i] = valuesOf(tasks.get(i));
      named |= nonNull(rows[i]);
    }
    BoundSql template = byShape.computeIfAbsent(new Shape(rows.length, named), this::template);
    List<ParameterMapping> parameters = template.getParameterMappings();
    BoundSql bound = new BoundSql(configuration, template.getSql(), parameters, parameterObject);
    int next = 0;
    for (Object[] row : rows) {
      for (int column = 0; column < row.length; column++) {
        if ((named & (1L << column)) != 0) {
          bound.setAdditionalParameter(parameters.get(next++).getProperty(), row[column]);
        }
      }
    }
    return bound;
  }

  private Object[] valuesOf(Object task) {
    Object[] values = new Object[rowGetters.size()];
    for (int column = 0; column < values.length; column++) {
      try {
        values[column] = rowGetters.get(column).invoke(task, null);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read a new task's " + columns.get(column), e);
      }
    }
    return values;
  }

  private static long nonNull(Object[] values) {
    long mask = 0;
    for (int column = 0; column < values.length; column++) {
      if (values[column] != null) {
        mask |= 1L << column;
      }
    }
    return mask;
  }

  private BoundSql template(Shape shape) {
    List<Integer> named = new ArrayList<>();
    for (int column = 0; column < columns.size(); column++) {
      if ((shape.columns() & (1L << column)) != 0) {
        named.add(column);
      }
    }
    StringBuilder sql = new StringBuilder(into).append('(')
        .append(String.join(", ", named.stream().map(columns::get).toList())).append(')').append(VALUES);
    String row = "(" + String.join(", ", Collections.nCopies(named.size(), "?")) + ")";
    List<ParameterMapping> parameters = new ArrayList<>(shape.rows() * named.size());
    for (int i = 0; i < shape.rows(); i++) {
      sql.append(i == 0 ? "" : ", ").append(row);
      for (int column : named) {
        ParameterMapping declared = rowParameters.get(column);
        parameters.add(new ParameterMapping.Builder(configuration, "p" + parameters.size(), declared.getTypeHandler())
            .jdbcType(declared.getJdbcType()).build());
      }
    }
    return new BoundSql(configuration, sql.toString(), List.copyOf(parameters), null);
  }
}
