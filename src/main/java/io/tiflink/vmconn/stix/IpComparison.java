package io.tiflink.vmconn.stix;

/**
 * One supported IP comparison of a STIX pattern (SPEC 6.3b).
 *
 * @param objectPath the object path without white space: {@code ipv4-addr:value}, {@code
 *     ipv6-addr:value}, {@code network-traffic:src_ref.value} or {@code
 *     network-traffic:dst_ref.value}
 * @param operator {@code =} (also when written {@code ==}) or {@code ISSUBSET}
 * @param value the string literal's content with its escapes resolved, otherwise exactly as
 *     written: not trimmed, not checked, not canonicalised (an address or a CIDR range, if the
 *     producer wrote one)
 */
public record IpComparison(String objectPath, String operator, String value) {}
