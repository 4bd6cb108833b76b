package io.baton.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PeerAddressesTest {

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "[::1]", "0:0:0:0:0:0:0:1",
      "::ffff:127.0.0.1", "0:0:0:0:0:ffff:7f00:1"})
  void loopbackAddressesAreOnThisMachine(String address) {
    assertThat(PeerAddresses.isLoopback(address)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1", "192.168.1.20", "8.8.8.8", "128.0.0.1", "126.255.255.255", "::2",
      "::ffff:10.0.0.1", "fe80::1", "0.0.0.0", "::", "localhost", "127.0.0.1.evil.test", "", "not an address"})
  void otherAddressesAndNamesAreNot(String address) {
    assertThat(PeerAddresses.isLoopback(address)).isFalse();
  }

  @Test
  void socketAddressesAreJudgedByTheirHostAddress() {
    assertThat(PeerAddresses.isLoopback(SocketAddress.inetSocketAddress(5000, "127.0.0.1"))).isTrue();
    assertThat(PeerAddresses.isLoopback(SocketAddress.inetSocketAddress(5000, "203.0.113.9"))).isFalse();
    assertThat(PeerAddresses.isLoopback(SocketAddress.domainSocketAddress("/tmp/baton.sock"))).isFalse();
    assertThat(PeerAddresses.isLoopback((SocketAddress) null)).isFalse();
  }
}
