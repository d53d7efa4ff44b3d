// The same signing from Java, through the blocking facade (compiled by the build).
package cqes.examples;

import cqes.ClientBlocking;
import cqes.Secret;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import cqes.*;

public final class JavaSign {
    public static void main(String[] args) throws Exception {
        ClientBlocking client = new ClientBlocking(Settings.clientFromEnvironment());
        Content content = new Content("Loan agreement no. 42", ContentFormat.BinaryBase64.INSTANCE,
                new ContentData.Bytes(Settings.samplePdf()), "agreement.pdf", null, null, null,
                SignatureType.PadesBaselineB.INSTANCE, null);
        SignFlowInput input = new SignFlowInput(new SignerIdentity.PersonalId(new Secret(Settings.signerEgn())),
                new SignRequest(List.of(content), null, null, null, null));
        try {
            SignOutcome outcome = client.sign(input, p -> System.out.println("  " + p.getState()));
            Files.write(Path.of(args.length > 0 ? args[0] : "signed-java.pdf"), outcome.getItems().get(0).getDocument().getContent());
            System.out.println("signed: request " + outcome.getRpCallbackId());
        } catch (CqesException.Rejected e) {
            System.out.println("the signer declined");
        }
    }
}
