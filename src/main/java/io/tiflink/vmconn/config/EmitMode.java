package io.tiflink.vmconn.config;

/** When a group's alert leaves the job (SPEC 4.1, 4.2). */
public enum EmitMode {
    /** Once, when the watermark passes the end of the group's window. */
    FINAL,
    /** As soon as the group's first match is detected; later matches do not emit again. */
    FIRST;

    public static EmitMode parse(String text) {
        for (EmitMode m : values()) {
            if (m.name().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown emit mode '" + text + "': use final or first");
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
