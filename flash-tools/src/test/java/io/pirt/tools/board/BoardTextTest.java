package io.pirt.tools.board;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** The board shell's text as JSON. */
class BoardTextTest {
    @Test
    void infoLinesBecomeFields() {
        ObjectNode o = BoardText.info("board:       virtual (pirt virtual board)\nruntime:     pirt 0.1.0 on Java 25\n"
                + "application: RUNNING: running demo (pid 12)\nuptime:      0d 00:00:07\n");
        assertEquals("virtual (pirt virtual board)", o.get("board").asText());
        assertEquals("RUNNING: running demo (pid 12)", o.get("application").asText());
        assertEquals(4, o.size());
    }

    @Test
    void psRowsBecomeObjectsEvenWithSpacesInNames() {
        String text = String.format("%-24s %8s %5s %9s  %s%n%-24s %8s %5s %9s  %s%n%-24s %8s %5s %9s  %s",
                "NAME", "IDENT", "PRIO", "EFFECTIVE", "STATE", "main", "4711", "4", "4", "RUNNING",
                "blink worker", "4712", "6", "7", "WAITING on lock");
        ArrayNode rows = BoardText.ps(text);
        assertEquals(2, rows.size());
        assertEquals("blink worker", rows.get(1).get("name").asText());
        assertEquals(4712, rows.get(1).get("ident").asLong());
        assertEquals(7, rows.get(1).get("effective").asInt());
        assertEquals("WAITING on lock", rows.get(1).get("state").asText());
    }

    @Test
    void psWithoutItsHeaderIsRefusedWithTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BoardText.ps("something else"));
        assertEquals(true, e.getMessage().contains("'something else'"), e.getMessage());
    }
}
