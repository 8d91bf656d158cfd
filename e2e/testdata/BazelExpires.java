// Parses the "expires" of a Bazel credential helper answer (its one
// argument) the way Bazel does (GetCredentialsResponse.java), and exits
// non-zero when Bazel would reject it.
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

public class BazelExpires {
  public static void main(String[] args) {
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");
    Instant i = OffsetDateTime.parse(args[0], f).toInstant();
    System.out.println(i.getEpochSecond());
  }
}
