package io.tiflink.vmconn.match;

import static org.assertj.core.api.Assertions.assertThat;

import io.tiflink.vmconn.model.Connection;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** A packed connection reads back as it was; release 1.0.0's form still reads. */
class BufferedConnectionTest {

    private static Connection connection() {
        Connection c = new Connection();
        c.timeGenerated = 1_795_000_000_123_456_700L;
        c.timeGeneratedDigits = 7;
        c.computer = "vm1.contoso.com";
        c.direction = "outbound";
        c.processName = "chrome";
        c.sourceIp = "10.1.0.4";
        c.destinationIp = "45.0.0.1";
        c.remoteIp = "45.0.0.1";
        c.protocol = "tcp";
        c.destinationPort = "443";
        c.ip = "45.0.0.1";
        c.late = true;
        return c;
    }

    @Test
    void packedConnectionReadsBackEqual() {
        DataOutputSerializer buffer = new DataOutputSerializer(16);
        Connection c = connection();
        BufferedConnection b = BufferedConnection.packed(c, 42L, buffer);
        assertThat(b.connection).isNull();
        assertThat(b.time()).isEqualTo(c.timeGenerated);
        assertThat(b.judgedThroughMillis).isEqualTo(42L);
        assertThat(b.connection()).isEqualTo(c);

        Connection sparse = new Connection();
        sparse.timeGenerated = -5;
        assertThat(BufferedConnection.packed(sparse, Long.MIN_VALUE, buffer).connection())
                .isEqualTo(sparse);
    }

    @Test
    void releaseOneFormStillReads() {
        Connection c = connection();
        BufferedConnection old = new BufferedConnection();
        old.connection = c;
        assertThat(old.time()).isEqualTo(c.timeGenerated);
        assertThat(old.connection()).isSameAs(c);
    }
}
