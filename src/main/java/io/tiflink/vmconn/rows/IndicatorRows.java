package io.tiflink.vmconn.rows;

import io.tiflink.vmconn.ip.IpAddress;
import io.tiflink.vmconn.ip.IpExclusions;
import io.tiflink.vmconn.model.Indicator;
import io.tiflink.vmconn.model.InputRecord;
import java.util.function.Consumer;

/**
 * Indicator rows (SPEC 1.1-1.4): picks the IP column, canonicalises the IP and drops rows whose IP
 * is missing, not an address, or excluded. Dropped rows are not versions at all.
 */
public class IndicatorRows extends RowRouter<Indicator> {

    private static final long serialVersionUID = 1L;

    public static final String NO_IP = "no_ip";
    public static final String NOT_AN_IP = "not_an_ip";
    public static final String EXCLUDED_IP = "excluded_ip";

    private final IpExclusions exclusions;

    public IndicatorRows(IpExclusions exclusions) {
        this.exclusions = exclusions;
    }

    @Override
    String metricPrefix() {
        return "indicatorRows";
    }

    @Override
    void route(InputRecord record, Consumer<Indicator> usable) {
        Indicator row = record.indicator;
        String column = IndicatorIps.pickColumn(row);
        if (column == null) {
            skip(NO_IP);
            return;
        }
        IpAddress ip = IpAddress.parse(column);
        if (ip == null) {
            skip(NOT_AN_IP);
            return;
        }
        if (exclusions.isExcluded(ip)) {
            skip(EXCLUDED_IP);
            return;
        }
        row.ip = ip.canonical();
        usable.accept(row);
    }
}
