// JDBC (Debian libpostgresql-jdbc-java) against the server (run under server.sh):
// prepared statement, batch insert, transaction rollback.
import java.sql.*;

public class JdbcTest {
  static void check(boolean ok, String what) {
    if (!ok) throw new AssertionError(what);
  }

  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + System.getenv("PGPORT") + "/postgres?sslmode=disable";
    try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO items VALUES (?, ?)")) {
        for (int i = 1; i <= 100; i++) {
          ps.setInt(1, i);
          ps.setString(2, "item " + i);
          ps.addBatch();
        }
        int[] counts = ps.executeBatch();
        check(counts.length == 100, "batch size");
      }
      c.commit();
      // Server-side prepared statements kick in after a few executions.
      try (PreparedStatement ps = c.prepareStatement("SELECT name FROM items WHERE id = ?")) {
        for (int i = 1; i <= 10; i++) {
          ps.setInt(1, i);
          try (ResultSet rs = ps.executeQuery()) {
            check(rs.next() && rs.getString(1).equals("item " + i), "row " + i);
          }
        }
      }
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM items");
        c.rollback();
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
          check(rs.next() && rs.getInt(1) == 100, "rollback kept the rows");
        }
      }
      c.commit();
    }
    System.out.println("jdbc: all checks passed");
  }
}
