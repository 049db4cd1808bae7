package io.wacast.common.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuditedPathTest {

    @Test
    void phoneNumbersInPathsAndQueriesAreMasked() {
        assertThat(AuditedPath.of("/api/whatsapp/contacts/+919876543238", null))
                .isEqualTo("/api/whatsapp/contacts/+91******3238");
        assertThat(AuditedPath.of("/api/whatsapp/opt-outs/%2B919876543238", null))
                .isEqualTo("/api/whatsapp/opt-outs/+91******3238");
        assertThat(AuditedPath.of("/api/whatsapp/campaigns/7/recipients", "phone=919876543238&x=1"))
                .isEqualTo("/api/whatsapp/campaigns/7/recipients?phone=********3238&x=1");
        assertThat(AuditedPath.of("/api/whatsapp/contacts/tags", "note=call+919876543238"))
                .doesNotContain("9876543");
    }

    @Test
    void idsAndWordsStayReadable() {
        assertThat(AuditedPath.of("/api/whatsapp/campaigns/12345678/recipients/987654321", null))
                .isEqualTo("/api/whatsapp/campaigns/12345678/recipients/987654321");
        assertThat(AuditedPath.of("/api/whatsapp/contacts/import", "consent=true"))
                .isEqualTo("/api/whatsapp/contacts/import?consent=true");
    }

    @Test
    void longPathsAreCut() {
        assertThat(AuditedPath.of("/api/" + "a".repeat(2000), null)).hasSize(AuditedPath.MAX_LENGTH).endsWith("…");
    }
}
