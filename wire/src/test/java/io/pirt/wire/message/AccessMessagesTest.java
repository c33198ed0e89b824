package io.pirt.wire.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The access model's part of the wire (docs/protocol.md §5.7): which commands change a board, and what a tool signs. */
class AccessMessagesTest {
    @Test
    void exactlyTheCommandsThatActChangeTheBoard() {
        Set<Command> changing = EnumSet.of(Command.RESTART, Command.STOP, Command.ROLLBACK, Command.ALLOW_DOWNGRADE, Command.TEST_RUN,
                Command.TEST_STOP, Command.TEST_HOST_REPLY, Command.GPIO, Command.I2C, Command.SPI);
        for (Command c : Command.values()) {
            String argument = c == Command.GPIO ? "write D5 1" : "";
            assertEquals(changing.contains(c), c.changesBoard(argument), c.wireName());
        }
        assertFalse(Command.GPIO.changesBoard("read D5"));
        assertFalse(Command.GPIO.changesBoard("  read   D5"));
        assertTrue(Command.GPIO.changesBoard("press BTN0"));
        assertTrue(Command.GPIO.changesBoard("readx D5"), "only the read action reads");
        assertTrue(Command.I2C.changesBoard("temperature i2c-1 0x48 30"), "setting a simulated sensor acts on the board");
        assertFalse(Command.PWM.changesBoard("PWM0"), "pwm only looks");
    }

    @Test
    void theSignedMessageSeparatesSchemeBoardAndNonce() {
        AuthChallenge c = new AuthChallenge(AuthChallenge.SCHEME, "rpi-4b", "00ff" + "11".repeat(30));
        byte[] m = c.signedMessage();
        byte[] prefix = "pirt-auth-v1\0rpi-4b\0".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(prefix, Arrays.copyOf(m, prefix.length));
        assertEquals(prefix.length + 32, m.length);
        assertEquals((byte) 0xff, m[prefix.length + 1]);
        byte[] other = new AuthChallenge(AuthChallenge.SCHEME, "rpi-5", c.nonce()).signedMessage();
        assertFalse(Arrays.equals(m, other), "another board's challenge is another message");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new AuthChallenge("pirt-auth-v9", "rpi-4b", c.nonce()).signedMessage());
        assertTrue(e.getMessage().contains("update the tool"), e.getMessage());
    }

    @Test
    void aChallengeAndInfoWithAccessRoundTrip() throws Exception {
        AuthChallenge c = new AuthChallenge(AuthChallenge.SCHEME, "virtual", "ab".repeat(32));
        assertEquals(c, Messages.decode(Messages.encode(c), AuthChallenge.class));
        String olderInfo = "{\"board\":\"virtual\",\"runtimeVersion\":\"0.1.0\",\"scheduling\":\"NONE\",\"application\":"
                + "{\"state\":\"RUNNING\",\"detail\":\"demo\"},\"uptimeMs\":5}";
        BoardInfo fromOlder = Messages.decode(olderInfo, BoardInfo.class);
        assertNull(fromOlder.access(), "a runtime older than the access model says nothing");
        assertTrue(AnswerText.of(fromOlder).contains("access:      not said"), AnswerText.of(fromOlder));
    }
}
