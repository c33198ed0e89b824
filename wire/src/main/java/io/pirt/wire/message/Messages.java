package io.pirt.wire.message;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.pirt.wire.ProtocolException;
import io.pirt.wire.Response;

/**
 * The one encoding of the typed messages on the wire: JSON, field names as the records name
 * their components, null fields left out, unknown fields ignored (a newer board may add
 * some; an enum value this code does not know becomes the enum's default where it has one).
 * Both ends encode and decode here. Thread-safe.
 */
public final class Messages {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE, true);
    private static final ObjectMapper PRETTY = JSON.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private Messages() {
    }

    /** The message as one line of JSON. */
    public static String encode(Object message) {
        try {
            return JSON.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + message.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** The message as indented JSON, for a person or a script ({@code pirt info --json}). */
    public static String pretty(Object message) {
        try {
            return PRETTY.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + message.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Decodes a message of {@code type}.
     *
     * @throws UnreadableAnswerException naming the type, if {@code json} is not one
     */
    public static <T> T decode(String json, Class<T> type) throws UnreadableAnswerException {
        try {
            T value = JSON.readValue(json, type);
            if (value == null) throw new UnreadableAnswerException("the board sent no " + type.getSimpleName());
            return value;
        } catch (JsonProcessingException e) {
            String shown = json.length() > 200 ? json.substring(0, 200) + "..." : json;
            throw new UnreadableAnswerException("the board's answer is not a " + type.getSimpleName() + " (" + e.getOriginalMessage()
                    + "): '" + shown + "'", e);
        }
    }

    /**
     * The answer record in a response to a request: the decoded body of an OK answer.
     *
     * @throws Refusal.RefusedException carrying the board's {@link Refusal} when it did not do it
     * @throws ProtocolException if an OK body is not a {@code type}
     */
    public static <T> T answer(Response response, Class<T> type) throws ProtocolException {
        if (response.status() == Response.Status.OK) return decode(response.body(), type);
        throw refusalIn(response).exception();
    }

    /** The refusal in a response that is not OK; one of a code for its status when the body is not a refusal. */
    public static Refusal refusalIn(Response response) {
        try {
            return decode(response.body(), Refusal.class);
        } catch (ProtocolException e) {
            String code = switch (response.status()) {
                case UNKNOWN_COMMAND -> Refusal.NOT_SUPPORTED;
                case BUSY -> Refusal.NOT_NOW;
                case BAD_REQUEST -> Refusal.BAD_ARGUMENT;
                case OK, FAILED -> Refusal.FAILED;
            };
            return new Refusal(code, response.body().strip().isEmpty() ? response.status().toString() : response.body().strip());
        }
    }
}
