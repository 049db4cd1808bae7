package io.wacast.sender.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetaAnswersTest {

    @Test
    void aSuccessCarriesTheWamidAndMessageStatus() {
        MetaAnswer answer = MetaAnswers.parse(200, """
                {"messaging_product":"whatsapp","contacts":[{"input":"+919978783238","wa_id":"919978783238"}],
                 "messages":[{"id":"wamid.HBgabc","message_status":"held_for_quality_assessment"}]}""");
        assertThat(answer).isEqualTo(new MetaAnswer.Accepted("wamid.HBgabc", "held_for_quality_assessment"));
    }

    @Test
    void aSuccessWithoutMessageStatusMeansAccepted() {
        assertThat(MetaAnswers.parse(200, "{\"messages\":[{\"id\":\"wamid.1\"}]}"))
                .isEqualTo(new MetaAnswer.Accepted("wamid.1", "accepted"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "<html>ok</html>", "{\"messages\":[]}", "[1,2]", "{\"messages\":[{\"id\":null}]}" })
    void aSuccessWeCannotReadMayHaveBeenAcceptedSoItIsUnanswered(String body) {
        assertThat(MetaAnswers.parse(200, body)).isInstanceOf(MetaAnswer.Unanswered.class);
    }

    @Test
    void anErrorCarriesCodeSubcodeAndMessageWithDetails() {
        MetaAnswer answer = MetaAnswers.parse(400, """
                {"error":{"message":"(#131026) Message Undeliverable","type":"OAuthException","code":131026,
                 "error_subcode":2494010,"error_data":{"details":"Receiver is incapable"},"fbtrace_id":"A1"}}""");
        assertThat(answer).isEqualTo(new MetaAnswer.Rejected(400, 131026, 2494010,
                "(#131026) Message Undeliverable: Receiver is incapable"));
    }

    @Test
    void aCodeSentAsStringIsStillRead() {
        assertThat(MetaAnswers.parse(429, "{\"error\":{\"code\":\"130429\",\"message\":\"rate\"}}"))
                .isEqualTo(new MetaAnswer.Rejected(429, 130429, null, "rate"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "Bad Gateway", "{\"error\":\"nope\"}", "{\"unexpected\":true}" })
    void anErrorWithoutAMetaErrorObjectHasNoCode(String body) {
        MetaAnswer answer = MetaAnswers.parse(502, body);
        assertThat(answer).isInstanceOf(MetaAnswer.Rejected.class);
        assertThat(((MetaAnswer.Rejected) answer).code()).isNull();
        assertThat(((MetaAnswer.Rejected) answer).message()).startsWith("unexpected response");
    }

    @Test
    void aFailureToGetAConnectionIsNotSentAndAnyLaterFailureIsUnanswered() {
        assertThat(GraphTransport.notSent(new ConnectException("refused"))).isInstanceOf(MetaAnswer.NotSent.class);
        assertThat(((MetaAnswer.NotSent) GraphTransport.notSent(new TimeoutException("no connection in time"))).reason())
                .isEqualTo("connect timeout");
        assertThat(((MetaAnswer.Unanswered) GraphTransport.unanswered(new TimeoutException("idle"))).reason())
                .isEqualTo("no answer within the call timeout");
        assertThat(((MetaAnswer.Unanswered) GraphTransport.unanswered(new IOException("reset"))).reason())
                .startsWith("connection lost after the request left");
    }

    @Test
    void bytesAreReadLikeText() {
        byte[] accepted = "{\"messages\":[{\"id\":\"wamid.B\",\"message_status\":\"held_for_quality_assessment\"}]}"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(MetaAnswers.parse(200, accepted)).isEqualTo(new MetaAnswer.Accepted("wamid.B", "held_for_quality_assessment"));
        MetaAnswer garbage = MetaAnswers.parse(200, "<html>oops</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(((MetaAnswer.Unanswered) garbage).reason()).contains("<html>oops</html>");
        assertThat(MetaAnswers.parse(503, new byte[0])).isInstanceOf(MetaAnswer.Rejected.class);
    }
}
