package io.userbound.core.internal;

import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A prepared statement of a Userbound connection; see {@link StatementView}. Under
 * ROLE_SWITCHING it owns its parameters: they are bound to the pgjdbc statement of the text
 * variant InBand needs at execute time, one place to the right of the role.
 */
class PreparedStatementView extends ForwardingPreparedStatement {

  /** Prepares a text on the physical connection with the request's result-set options. */
  interface Preparer {
    PreparedStatement prepare(String sql) throws SQLException;
  }

  private PreparedStatement ps;

  // ROLE_SWITCHING only
  private final String sql;
  private final Preparer preparer;
  private int variant;
  private Binder[] params;
  private List<Binder[]> batch;
  private PreparedStatement plain; // the text alone: metadata and batches

  PreparedStatementView(PooledConnection owner, PreparedStatement ps) {
    super(owner, ps, null);
    this.ps = ps;
    this.sql = null;
    this.preparer = null;
  }

  /** ROLE_SWITCHING: the request's text, wrapped as InBand needs it now. */
  PreparedStatementView(PooledConnection owner, InBand inBand, String sql, Preparer preparer)
      throws SQLException {
    this(owner, inBand, sql, preparer, inBand.variant());
  }

  private PreparedStatementView(
      PooledConnection owner, InBand inBand, String sql, Preparer preparer, int variant)
      throws SQLException {
    super(owner, preparer.prepare(inBand.wrap(sql, variant, true)), inBand);
    this.ps = (PreparedStatement) s;
    this.sql = sql;
    this.preparer = preparer;
    this.variant = variant;
    this.params = new Binder[4];
  }

  @Override
  final PreparedStatement prepared() {
    return ps;
  }

  /** ROLE_SWITCHING: the parameter setters (ForwardingPreparedStatement) keep their values. */
  @Override
  final boolean bindsLater() {
    return inBand != null;
  }

  @Override
  final void bind(int index, Binder binder) throws SQLException {
    if (index < 1) {
      throw new SQLException("The parameter index is out of range: " + index, "22023");
    }
    if (index > params.length) {
      params = Arrays.copyOf(params, Math.max(index, params.length * 2));
    }
    params[index - 1] = binder;
  }

  private static void apply(PreparedStatement target, Binder[] values, int shift)
      throws SQLException {
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        values[i].bind(target, i + 1 + shift);
      }
    }
  }

  /* The pgjdbc statement of the variant needed now, with the role and the parameters bound. */
  private PreparedStatement bound(int needed) throws SQLException {
    if (needed != variant) {
      PreparedStatement next = preparer.prepare(inBand.wrap(sql, needed, true));
      copySettings(ps, next);
      ps.close();
      ps = next;
      s = next;
      variant = needed;
    }
    ps.setString(1, inBand.role);
    apply(ps, params, 1);
    return ps;
  }

  private static void copySettings(Statement from, Statement to) throws SQLException {
    to.setFetchSize(from.getFetchSize());
    to.setMaxRows(from.getMaxRows());
    to.setQueryTimeout(from.getQueryTimeout());
    to.setMaxFieldSize(from.getMaxFieldSize());
    to.setFetchDirection(from.getFetchDirection());
    to.setPoolable(from.isPoolable());
  }

  private PreparedStatement plain() throws SQLException {
    if (plain == null) {
      plain = preparer.prepare(sql);
      copySettings(ps, plain);
    }
    return plain;
  }

  /* Runs the wrapped text; true if the request's first result is a result set. */
  private boolean run() throws SQLException {
    int needed = inBand.variant();
    PreparedStatement target = bound(needed);
    boolean first;
    try {
      first = target.execute();
    } catch (SQLException e) {
      throw inBand.failed(e);
    }
    inBand.succeeded(needed);
    return skip(first, InBand.leading(needed));
  }

  @Override
  public void addBatch() throws SQLException {
    if (inBand != null) {
      if (batch == null) {
        batch = new ArrayList<>();
      }
      batch.add(params.clone());
      return;
    }
    ps.addBatch();
  }

  @Override
  public void clearBatch() throws SQLException {
    if (inBand != null) {
      if (batch != null) {
        batch.clear();
      }
      return;
    }
    super.clearBatch();
  }

  @Override
  public int[] executeBatch() throws SQLException {
    if (inBand != null) {
      return inBand.batch(() -> loadBatch().executeBatch());
    }
    return ps.executeBatch();
  }

  @Override
  public long[] executeLargeBatch() throws SQLException {
    if (inBand != null) {
      return inBand.batch(() -> loadBatch().executeLargeBatch());
    }
    return ps.executeLargeBatch();
  }

  private PreparedStatement loadBatch() throws SQLException {
    PreparedStatement p = plain();
    if (batch != null) {
      for (Binder[] entry : batch) {
        apply(p, entry, 0);
        p.addBatch();
      }
      batch.clear();
    }
    return p;
  }

  @Override
  public void clearParameters() throws SQLException {
    if (inBand != null) {
      Arrays.fill(params, null);
      return;
    }
    ps.clearParameters();
  }

  @Override
  public boolean execute() throws SQLException {
    if (inBand != null) {
      return run();
    }
    return ps.execute();
  }

  @Override
  public long executeLargeUpdate() throws SQLException {
    if (inBand != null) {
      return updateResult(run());
    }
    return ps.executeLargeUpdate();
  }

  @Override
  public ResultSet executeQuery() throws SQLException {
    if (inBand != null) {
      return queryResult(run());
    }
    return owner.resultSet(ps.executeQuery(), this);
  }

  @Override
  public int executeUpdate() throws SQLException {
    if (inBand != null) {
      return (int) updateResult(run());
    }
    return ps.executeUpdate();
  }

  @Override
  public ResultSetMetaData getMetaData() throws SQLException {
    return ObjectView.metaData(owner, inBand != null ? plain().getMetaData() : ps.getMetaData());
  }

  @Override
  public ParameterMetaData getParameterMetaData() throws SQLException {
    ParameterMetaData md =
        inBand != null ? plain().getParameterMetaData() : ps.getParameterMetaData();
    return md == null ? null : new ObjectView.ParameterMetaDataView(owner, md);
  }

  @Override
  public void close() throws SQLException {
    try {
      super.close();
    } finally {
      if (plain != null) {
        plain.close();
      }
    }
  }
}
