package io.tiflink.vmconn.rows;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.model.Connection;
import io.tiflink.vmconn.model.InputRecord;
import java.util.function.Consumer;

/**
 * Connection rows (SPEC 2.1): canonical RemoteIp; rows without a usable one are counted and
 * dropped.
 */
public class ConnectionRows extends RowRouter<Connection> {

    private static final long serialVersionUID = 1L;

    public static final String NO_REMOTE_IP = "no_remote_ip";
    public static final String NOT_AN_IP = "not_an_ip";

    @Override
    String metricPrefix() {
        return "connectionRows";
    }

    @Override
    void route(InputRecord record, Consumer<Connection> usable) {
        Connection c = record.connection;
        if (IndicatorIps.isEmpty(c.remoteIp)) {
            skip(NO_REMOTE_IP);
            return;
        }
        IpAddress ip = IpAddress.parse(c.remoteIp);
        if (ip == null) {
            skip(NOT_AN_IP);
            return;
        }
        c.ip = ip.canonical();
        usable.accept(c);
    }
}
