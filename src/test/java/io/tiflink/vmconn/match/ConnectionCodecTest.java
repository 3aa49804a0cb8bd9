package io.tiflink.vmconn.match;

import static io.tiflink.vmconn.testing.Rows.connection;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.model.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** A kept connection unpacks to every column exactly as received, whatever its text. */
class ConnectionCodecTest {

    private static Connection roundTrip(Connection c, long chunkStart, long judgedThrough)
            throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        ConnectionCodec.write(out, c, IpAddress.parse(c.ip), chunkStart, judgedThrough);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        ConnectionCodec.Head head = new ConnectionCodec.Head();
        head.read(in, chunkStart);
        assertThat(head.judgedThroughMillis).isEqualTo(judgedThrough);
        return head.connection(in);
    }

    @Test
    void everyColumnComesBackAsReceived() throws Exception {
        List<Connection> cases = new ArrayList<>();
        cases.add(connection("203.0.113.7", "10:05"));
        Connection inbound = connection("198.51.100.9", "10:05:00.1234567");
        inbound.direction = "inbound";
        inbound.sourceIp = inbound.remoteIp;
        inbound.destinationIp = "10.1.2.3";
        inbound.protocol = "udp";
        inbound.late = true;
        cases.add(inbound);
        Connection odd = connection("::FFFF:203.0.113.7", "10:05:59.999");
        odd.direction = "Outbound"; // not the canonical text: kept as text
        odd.protocol = null;
        odd.destinationPort = "0443";
        odd.sourceIp = "010.0.0.4";
        odd.destinationIp = null;
        odd.computer = null;
        odd.processName = "";
        odd.judgedLate = true;
        cases.add(odd);
        Connection v6 = connection("2001:db8::5", "10:05");
        v6.sourceIp = "2001:db8::1";
        v6.destinationIp = "2001:DB8::5";
        v6.destinationPort = "65536";
        cases.add(v6);
        for (Connection c : cases) {
            long chunk = Math.floorDiv(c.timeGenerated, 600_000_000_000L) * 600_000L;
            assertThat(roundTrip(c, chunk, Long.MIN_VALUE)).isEqualTo(c);
            assertThat(roundTrip(c, chunk, 42L)).isEqualTo(c);
        }
    }

    @Test
    void aCanonicalDottedQuadIsReadWithoutBuildingItsText() {
        assertThat(ConnectionCodec.canonicalV4("10.1.2.3")).isEqualTo(0x0a010203L);
        assertThat(ConnectionCodec.canonicalV4("255.255.255.255")).isEqualTo(0xffffffffL);
        assertThat(ConnectionCodec.canonicalV4("0.0.0.0")).isZero();
        for (String notCanonical :
                new String[] {
                    "010.1.2.3",
                    "1.2.3",
                    "1.2.3.4.5",
                    "1.2.3.256",
                    "1.2.3.",
                    ".1.2.3",
                    "1..2.3",
                    " 1.2.3.4",
                    "1.2.3.4 ",
                    "a.b.c.d",
                    "::1",
                    ""
                }) {
            assertThat(ConnectionCodec.canonicalV4(notCanonical)).as(notCanonical).isEqualTo(-1);
        }
        Random r = new Random(3);
        for (int k = 0; k < 10_000; k++) {
            long bits = r.nextInt() & 0xffff_ffffL;
            String text =
                    IpAddress.parse(
                                    (bits >>> 24)
                                            + "."
                                            + (bits >>> 16 & 255)
                                            + "."
                                            + (bits >>> 8 & 255)
                                            + "."
                                            + (bits & 255))
                            .canonical();
            assertThat(ConnectionCodec.canonicalV4(text)).isEqualTo(bits);
        }
    }
}
