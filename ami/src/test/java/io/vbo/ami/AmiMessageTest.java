package io.vbo.ami;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vbo.lab.ami.Transcripts;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing captured AMI messages. */
class AmiMessageTest {

    static List<AmiMessage> messages(String file) {
        return Transcripts.messages(file).stream().map(m -> AmiMessage.parse(m.replace("\r\n\r\n", ""))).toList();
    }

    @Test
    void emptyListIsAnErrorWhoseMessageLosesTheStrayLineFeed() {
        List<AmiMessage> messages = messages("ami-pjsipshowcontacts-empty.response.txt");
        assertEquals(1, messages.size());
        assertEquals("Error", messages.get(0).response());
        assertEquals("No Contacts found", messages.get(0).get("Message"));
        assertEquals("Unable to retrieve endpoint 9999",
                messages("ami-pjsipshowendpoint-unknown.response.txt").get(0).get("Message"));
    }

    @Test
    void commandOutputKeepsEveryOutputLineWithItsColumns() {
        AmiMessage reply = messages("ami-command-pjsip-show-contacts.response.txt").get(0);
        assertEquals(Transcripts.lines("cli-pjsip-show-contacts.txt"), reply.all("Output"));
        assertEquals("  Contact:  1001/sip:1001-0x5644aa7f0270@10.231.1.2:5060   25e7f8e944 Avail         0.479",
                reply.all("Output").get(4));
    }

    @Test
    void headersAreCaseInsensitiveAndOtherValuesStripped() {
        AmiMessage message = AmiMessage.parse("Response: Success\r\nactionid:  x-1 \r\nMessage: ok\r\n");
        assertEquals("x-1", message.actionId());
        assertEquals(true, message.isSuccess());
        assertEquals(List.of(), message.all("Output"));
    }
}
