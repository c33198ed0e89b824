package io.pirt.tools.board;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The board shell's printed answers turned into JSON for {@code --json}: {@code info}'s
 * {@code key: value} lines into an object, {@code ps}'s table into an array of objects,
 * other text into an array of lines. Numbers stay strings unless a column is numeric by
 * nature (ident, priorities). Stateless.
 */
public final class BoardText {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** A ps row: a name (may hold spaces), ident, priority, effective priority, two spaces, the state. */
    private static final Pattern PS_ROW = Pattern.compile("^(.*\\S)\\s+(\\S+)\\s+(\\d+)\\s+(\\d+)\\s{2,}(\\S.*)$");
    private static final Pattern KEY_VALUE = Pattern.compile("^([A-Za-z][\\w .-]*?):\\s*(.*)$");

    private BoardText() {
    }

    /** {@code info}: each {@code key: value} line a field; a line without a key continues the previous value. */
    public static ObjectNode info(String text) {
        ObjectNode o = NODES.objectNode();
        String last = null;
        for (String line : text.split("\\R")) {
            if (line.isBlank()) continue;
            Matcher m = KEY_VALUE.matcher(line.strip());
            if (m.matches()) {
                last = m.group(1).strip().toLowerCase(Locale.ROOT).replace(' ', '_');
                o.put(last, m.group(2).strip());
            } else if (last != null) {
                o.put(last, o.get(last).asText() + "\n" + line.strip());
            } else {
                o.put("text", line.strip());
                last = "text";
            }
        }
        return o;
    }

    /**
     * {@code ps}: one object per thread, {@code name}, {@code ident} (the Linux tid; a string
     * if the board printed none), {@code priority}, {@code effective}, {@code state}.
     *
     * @throws IllegalArgumentException naming the line if the text is not the ps table
     */
    public static ArrayNode ps(String text) {
        ArrayNode rows = NODES.arrayNode();
        String[] lines = text.split("\\R");
        int i = 0;
        while (i < lines.length && lines[i].isBlank()) i++;
        if (i == lines.length || !lines[i].strip().matches("NAME\\s+IDENT\\s+PRIO\\s+EFFECTIVE\\s+STATE")) {
            throw new IllegalArgumentException("the board's ps output does not start with the header "
                    + "'NAME IDENT PRIO EFFECTIVE STATE': " + (i < lines.length ? "'" + lines[i] + "'" : "it is empty"));
        }
        for (i++; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            Matcher m = PS_ROW.matcher(lines[i]);
            if (!m.matches()) {
                // not a thread row: e.g. "application not running"; keep it, do not guess fields
                rows.addObject().put("text", lines[i].strip());
                continue;
            }
            ObjectNode row = rows.addObject();
            row.put("name", m.group(1).strip());
            if (m.group(2).matches("\\d+")) row.put("ident", Long.parseLong(m.group(2)));
            else row.put("ident", m.group(2));
            row.put("priority", Integer.parseInt(m.group(3)));
            row.put("effective", Integer.parseInt(m.group(4)));
            row.put("state", m.group(5).strip());
        }
        return rows;
    }

    /** Any other answer: its lines. */
    public static ArrayNode lines(String text) {
        ArrayNode a = NODES.arrayNode();
        for (String line : text.split("\\R")) {
            if (!line.isEmpty()) a.add(line);
        }
        return a;
    }

    /** A command's outcome, e.g. {@code {"ok": true, "message": "restarted demo"}}. */
    public static ObjectNode outcome(String text) {
        return NODES.objectNode().put("ok", true).put("message", text.strip());
    }

    /** Pretty-printed JSON of {@code node}. */
    public static String json(com.fasterxml.jackson.databind.JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serialises", e);
        }
    }
}
