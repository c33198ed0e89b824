package io.pirt.wire;

/**
 * The frame types of protocol version 1 and their wire codes (docs/protocol.md §3).
 * Sequenced types are delivered reliably and in order by a {@link Link}; the others
 * (HELLO, BYE, ACK) are sent once and carry no sequence number.
 */
public enum FrameType {
    HELLO(0x01, false),
    BYE(0x02, false),
    ACK(0x03, false),
    CONSOLE_OUT(0x10, true),
    CONSOLE_IN(0x11, true),
    REQUEST(0x20, true),
    RESPONSE(0x21, true),
    TRANSFER_BEGIN(0x30, true),
    TRANSFER_RESUME(0x31, true),
    TRANSFER_DATA(0x32, true),
    TRANSFER_END(0x33, true),
    TRANSFER_RESULT(0x34, true),
    EVENT(0x40, true);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) BY_CODE[t.code] = t;
    }

    private final int code;
    private final boolean sequenced;

    FrameType(int code, boolean sequenced) {
        this.code = code;
        this.sequenced = sequenced;
    }

    /** The type's byte on the wire. */
    public int code() {
        return code;
    }

    /** Whether frames of this type carry a sequence number and are delivered reliably. */
    public boolean sequenced() {
        return sequenced;
    }

    /** The type with this wire code, or {@code null} when version 1 has none. */
    public static FrameType fromCode(int code) {
        return BY_CODE[code & 0xFF];
    }
}
