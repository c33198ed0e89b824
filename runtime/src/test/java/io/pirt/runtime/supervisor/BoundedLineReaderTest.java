package io.pirt.runtime.supervisor;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class BoundedLineReaderTest {
    private static BoundedLineReader reader(String text, int maxLineBytes) {
        return new BoundedLineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), maxLineBytes);
    }

    @Test
    void shortLinesArriveWholeWithoutTheirLineEnds() throws Exception {
        BoundedLineReader in = reader("one\r\ntwo €\n\nlast", 16);
        assertEquals("one", in.readLine());
        assertEquals("two €", in.readLine());
        assertEquals("", in.readLine());
        assertEquals("last", in.readLine());
        assertNull(in.readLine());
    }

    @Test
    void aLongLineIsCutOnACharacterBoundaryAndSaysHowManyBytesWereDropped() throws Exception {
        BoundedLineReader in = reader("abc€€€\nnext\n", 8); // a,b,c, then 3 bytes a €: the cap falls inside the second €
        assertEquals("abc€ [pirt: 6 more bytes of this line dropped; the runtime keeps at most 8 bytes of a line]", in.readLine());
        assertEquals("next", in.readLine());
        assertNull(in.readLine());
    }
}
