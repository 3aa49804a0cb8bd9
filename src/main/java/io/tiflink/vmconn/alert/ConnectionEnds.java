package io.tiflink.vmconn.alert;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.model.Connection;
import java.util.Locale;

/**
 * The reported connection as the OCSF and ECS alerts place it: which end is the remote one (the
 * address the indicator named) and which the VM, the ends' addresses in canonical form, the port
 * and the transport protocol as numbers. The rule's own columns keep the texts as received.
 */
final class ConnectionEnds {

    /** SourceIp and DestinationIp in canonical form; null when a text is not an address. */
    final String sourceIp;

    final String destinationIp;

    /** The canonical RemoteIp. */
    final String remoteIp;

    /** The remote end is the source (an inbound connection); else the destination. */
    final boolean remoteIsSource;

    /** DestinationPort as a port number; null when it is not one. */
    final Integer destinationPort;

    /** Protocol in lower case (ECS network.transport); null when missing. */
    final String transport;

    /** The IANA protocol number of {@link #transport}, for tcp, udp, icmp and ipv6-icmp. */
    final Integer protocolNumber;

    /** The remote address is IPv6. */
    final boolean remoteIsV6;

    ConnectionEnds(Connection c) {
        sourceIp = canonical(c.sourceIp);
        destinationIp = canonical(c.destinationIp);
        remoteIp = c.ip != null ? c.ip : canonical(c.remoteIp);
        if (remoteIp != null && remoteIp.equals(destinationIp)) {
            remoteIsSource = false;
        } else if (remoteIp != null && remoteIp.equals(sourceIp)) {
            remoteIsSource = true;
        } else {
            remoteIsSource = "inbound".equalsIgnoreCase(trim(c.direction));
        }
        destinationPort = port(c.destinationPort);
        String p = trim(c.protocol);
        transport = p == null || p.isEmpty() ? null : p.toLowerCase(Locale.ROOT);
        protocolNumber = protocolNumber(transport);
        remoteIsV6 = remoteIp != null && remoteIp.indexOf(':') >= 0;
    }

    /** The VM's own address: the end that is not the remote one (null when not an address). */
    String vmIp() {
        return remoteIsSource ? destinationIp : sourceIp;
    }

    /** The source's address, or the remote address when the source is the remote end. */
    String sourceIpOrRemote() {
        return remoteIsSource && sourceIp == null ? remoteIp : sourceIp;
    }

    /** The destination's address, or the remote address when it is the remote end. */
    String destinationIpOrRemote() {
        return !remoteIsSource && destinationIp == null ? remoteIp : destinationIp;
    }

    static String canonical(String text) {
        IpAddress ip = IpAddress.parse(text);
        return ip == null ? null : ip.canonical();
    }

    static Integer port(String text) {
        String t = trim(text);
        if (t == null) {
            return null;
        }
        try {
            int p = Integer.parseInt(t);
            return p >= 0 && p <= 65535 ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer protocolNumber(String transport) {
        if (transport == null) {
            return null;
        }
        switch (transport) {
            case "icmp":
                return 1;
            case "tcp":
                return 6;
            case "udp":
                return 17;
            case "ipv6-icmp":
            case "icmpv6":
                return 58;
            default:
                return null;
        }
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
