package io.tollgate.events.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tollgate.events.ownership.OwnershipAssigned;
import io.tollgate.events.ownership.OwnershipRevoked;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublishRequestTest {

  private static final Instant NOW = Instant.parse("2026-11-23T10:15:30.123Z");

  @Test
  void anAssignmentDefaultsToTheOwnershipTopicTenSecondsAndAClockVersion() throws UsageException {
    PublishRequest request = PublishRequest.parse("publish-ownership", "--bootstrap", "127.0.0.1:9092",
        "--resource", "monitor:101", "--owner", "user-7");

    assertThat(request.topic()).isEqualTo("tollgate.ownership.v1");
    assertThat(request.timeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(request.event(NOW)).isEqualTo(
        new OwnershipAssigned("monitor", "101", "user-7", null, NOW.toEpochMilli(), NOW, "publish-ownership-cli"));
  }

  @Test
  void everyOptionCanBeGivenInBothForms() throws UsageException {
    PublishRequest request = PublishRequest.parse("publish-ownership", "--bootstrap=a:1,b:2", "--resource",
        "pod:x-1", "--owner=u", "--tenant", "acme", "--version=42", "--producer", "ops", "--topic", "t",
        "--timeout-seconds=3");

    assertThat(request.bootstrapServers()).isEqualTo("a:1,b:2");
    assertThat(request.topic()).isEqualTo("t");
    assertThat(request.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(request.event(NOW)).isEqualTo(new OwnershipAssigned("pod", "x-1", "u", "acme", 42, NOW, "ops"));
  }

  @Test
  void revokeNeedsNoOwner() throws UsageException {
    PublishRequest request = PublishRequest.parse("publish-ownership", "--bootstrap", "k:9092", "--resource",
        "monitor:101", "--revoke", "--version", "7");

    assertThat(request.event(NOW)).isEqualTo(new OwnershipRevoked("monitor", "101", null, 7, NOW,
        "publish-ownership-cli"));
  }

  @ParameterizedTest(name = "[{index}] {1}")
  @CsvSource(delimiter = '|', value = {
      "''                                                                     | no command given",
      "publish                                                                | unknown command: publish",
      "publish-ownership --resource monitor:1 --owner u                       | --bootstrap is required",
      "publish-ownership --bootstrap k:1 --owner u                            | --resource is required",
      "publish-ownership --bootstrap k:1 --resource monitor:1                 | --owner is required",
      "publish-ownership --bootstrap k:1 --resource monitor --owner u         | --resource must be TYPE:ID",
      "publish-ownership --bootstrap k:1 --resource monitor: --owner u        | --resource must be TYPE:ID",
      "publish-ownership --bootstrap k:1 --resource monitor:1:2 --owner u     | invalid resourceId: must not",
      "publish-ownership --bootstrap k:1 --resource Monitor:1 --owner u       | invalid resourceType: must match",
      "publish-ownership --bootstrap k:1 --resource monitor:1 --owner u --version 0   | --version must be at least 1",
      "publish-ownership --bootstrap k:1 --resource monitor:1 --owner u --version ten | --version must be a whole",
      "publish-ownership --bootstrap k:1 --resource monitor:1 --owner u --tenant      | --tenant needs a value",
      "publish-ownership --bootstrap k:1 --resource monitor:1 --owner u --owner v     | --owner given more than once",
      "publish-ownership --bootstrap k:1 --resource monitor:1 --owner u --colour red  | unknown option: --colour",
      "publish-ownership --bootstrap k:1 --resource monitor:1 --owner u extra         | unexpected argument: extra",
      "publish-ownership --bootstrap k:1 --resource monitor:1 --revoke --tenant t     | --tenant cannot be combined",
      "publish-ownership --bootstrap k:1 --resource monitor:1 --revoke=yes            | --revoke takes no value"})
  void badCommandLinesSayWhatIsWrong(String commandLine, String message) {
    String[] args = commandLine.isEmpty() ? new String[0] : commandLine.split(" +");

    assertThatThrownBy(() -> PublishRequest.parse(args)).isInstanceOf(UsageException.class)
        .hasMessageStartingWith(message);
  }
}
