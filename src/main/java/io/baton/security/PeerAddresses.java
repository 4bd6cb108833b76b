package io.baton.security;

import io.netty.util.NetUtil;
import io.vertx.core.net.SocketAddress;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Whether a connection comes from this machine. Only the socket's own address counts: headers such
 * as {@code X-Forwarded-For} are written by the client and prove nothing.
 */
public final class PeerAddresses {

  private PeerAddresses() {
  }

  public static boolean isLoopback(SocketAddress peer) {
    return peer != null && isLoopback(peer.hostAddress());
  }

  /** {@code 127.0.0.0/8}, {@code ::1} and IPv4-mapped {@code ::ffff:127.x.y.z}; never a name (no DNS). */
  static boolean isLoopback(String literal) {
    if (literal == null || literal.isEmpty()) {
      return false;
    }
    String bare = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1)
        : literal;
    int zone = bare.indexOf('%');
    if (zone >= 0) {
      bare = bare.substring(0, zone);
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
    if (bytes == null) {
      return false;
    }
    if (bytes.length == 16 && isV4Mapped(bytes)) {
      return bytes[12] == 127;
    }
    try {
      InetAddress address = InetAddress.getByAddress(bytes);
      return address.isLoopbackAddress() && (bytes.length == 4 || address instanceof Inet6Address);
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static boolean isV4Mapped(byte[] bytes) {
    for (int i = 0; i < 10; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
  }
}
