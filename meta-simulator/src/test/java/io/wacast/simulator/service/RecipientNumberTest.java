package io.wacast.simulator.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The recipient number as the simulator reads it on every call (Meta's wa_id: its digits). */
class RecipientNumberTest {

    @Test
    void aNumberIsItsDigitsWhenMetaWouldTakeIt() {
        assertThat(MessageService.digits("+91 98765-43210")).isEqualTo("919876543210");
        assertThat(MessageService.digits("1 (555) 010.0199")).isEqualTo("15550100199");
        assertThat(MessageService.digits("12345678")).isEqualTo("12345678");
        assertThat(MessageService.digits("1234567")).isNull(); // 7 digits
        assertThat(MessageService.digits("1234567890123456")).isNull(); // 16 digits
        assertThat(MessageService.digits("+0123456789")).isNull(); // leading 0
        assertThat(MessageService.digits("++919876543210")).isNull(); // a second '+'
        assertThat(MessageService.digits("91987654321x")).isNull();
        assertThat(MessageService.digits("9198765\u0663210")).isNull(); // a non-ASCII digit
    }

}
