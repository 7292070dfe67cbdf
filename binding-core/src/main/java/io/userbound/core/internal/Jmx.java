package io.userbound.core.internal;

import io.userbound.core.DatabaseMXBean;
import io.userbound.core.DatabaseStats;
import io.userbound.core.Userbound;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/*
 * One DatabaseMXBean per database in the platform MBean server while the instance is open.
 * Two instances of one application in one JVM (tests, blue-green in one process) get
 * ",instance=2" and so on; a registration that fails is logged, never fatal.
 */
final class Jmx {

  private static final Logger log = LoggerFactory.getLogger(Jmx.class);

  private final Userbound userbound;
  private final String application;
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final List<ObjectName> names = new ArrayList<>();

  Jmx(Userbound userbound, String application) {
    this.userbound = userbound;
    this.application = application;
  }

  synchronized void register(Collection<String> databases) {
    for (int instance = 1; instance < 1000; instance++) {
      List<ObjectName> mine = new ArrayList<>();
      try {
        for (String db : databases) {
          ObjectName name = name(db, instance);
          server.registerMBean(new Bean(db), name);
          mine.add(name);
        }
        names.addAll(mine);
        return;
      } catch (InstanceAlreadyExistsException e) {
        unregister(mine); // taken by another instance: try the next instance number
      } catch (JMException | RuntimeException e) {
        unregister(mine);
        log.warn("could not register Userbound's MBeans: {}", e.toString());
        return;
      }
    }
  }

  synchronized void unregister() {
    unregister(names);
    names.clear();
  }

  private void unregister(List<ObjectName> list) {
    for (ObjectName n : list) {
      try {
        server.unregisterMBean(n);
      } catch (JMException | RuntimeException e) {
        log.debug("could not unregister {}: {}", n, e.toString());
      }
    }
  }

  private ObjectName name(String db, int instance) throws JMException {
    return new ObjectName(
        "io.userbound:type=Database,application="
            + ObjectName.quote(application)
            + ",name="
            + ObjectName.quote(db)
            + (instance == 1 ? "" : ",instance=" + instance));
  }

  /** The MXBean of one database. */
  private final class Bean implements DatabaseMXBean {
    private final String db;

    Bean(String db) {
      this.db = db;
    }

    private DatabaseStats s() {
      return userbound.stats(db);
    }

    @Override
    public String getDatabase() {
      return db;
    }

    @Override
    public int getBudget() {
      return s().budget();
    }

    @Override
    public int getBudgetUsed() {
      return s().budgetUsed();
    }

    @Override
    public int getActiveConnections() {
      return s().activeConnections();
    }

    @Override
    public int getIdleConnections() {
      return s().idleConnections();
    }

    @Override
    public int getWaiting() {
      return s().waiting();
    }

    @Override
    public int getPools() {
      return s().pools();
    }

    @Override
    public long getLoginsAccepted() {
      return s().loginsAccepted();
    }

    @Override
    public long getLoginsRefused() {
      return s().loginsRefused();
    }

    @Override
    public long getLoginsThrottled() {
      return s().loginsThrottled();
    }

    @Override
    public long getPoolsEvicted() {
      return s().poolsEvicted();
    }

    @Override
    public long getConnectionsReclaimed() {
      return s().connectionsReclaimed();
    }

    @Override
    public long getConnectionsOpened() {
      return s().connectionsOpened();
    }

    @Override
    public long getResetsPerformed() {
      return s().resetsPerformed();
    }

    @Override
    public long getResetsSkipped() {
      return s().resetsSkipped();
    }

    @Override
    public long getBudgetWaits() {
      return s().budgetWaits();
    }

    @Override
    public long getBudgetExhausted() {
      return s().budgetExhausted();
    }

    @Override
    public String getHealth() {
      return userbound.health(db).status().name();
    }

    @Override
    public int logoutRole(String role) {
      if (role == null) {
        throw new IllegalArgumentException("role: null");
      }
      return userbound.logoutRole(role);
    }

    @Override
    public int closeIdlePools() {
      return userbound.closeIdle(db);
    }
  }
}
