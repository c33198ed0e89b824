package io.pirt.tools.bundle;

import io.pirt.bundle.SigningKeys;
import io.pirt.tools.ToolException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pirt keygen}: an Ed25519 key pair to sign bundles with (docs/bundle.md, section 7). */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Make an Ed25519 key pair to sign bundles with.", "",
                "Writes NAME.key (the private key, PEM, readable by you only: keep it secret) and NAME.pub (the public "
                + "key, PEM, to copy onto each board you flash). Existing files are never overwritten."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the key pair was written", "1:it was not (a file exists, or the directory is not writable)",
                "2:usage error"})
public final class KeygenCommand implements Callable<Integer> {
    /** Where {@code pirt bundle} looks for the key when --key is not given. */
    static final Path DEFAULT_DIR = Path.of(System.getProperty("user.home"), ".pirt");
    static final String DEFAULT_NAME = "signing";

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Directory to write the key pair into (default: ~/.pirt).")
    Path outDir;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = DEFAULT_NAME,
            description = "File name of the pair: NAME.key and NAME.pub (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() throws ToolException {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = outDir != null ? outDir : DEFAULT_DIR;
        Path privateKey = dir.resolve(name + ".key");
        Path publicKey = dir.resolve(name + ".pub");
        for (Path p : new Path[] {privateKey, publicKey}) {
            if (Files.exists(p)) {
                throw ToolException.failure(p + " exists; a key is never overwritten. Use it, move it away, or choose "
                        + "another --name or --out");
            }
        }
        KeyPair pair = SigningKeys.generate();
        try {
            Files.createDirectories(dir);
            SigningKeys.writePrivateKey(pair.getPrivate(), privateKey);
            SigningKeys.writePublicKey(pair.getPublic(), publicKey);
        } catch (FileAlreadyExistsException e) {
            throw ToolException.failure(e.getFile() + " appeared while writing the key pair; nothing was overwritten", e);
        } catch (IOException e) {
            throw ToolException.failure("cannot write the key pair into " + dir + ": " + e.getMessage(), e);
        }
        String id = SigningKeys.keyId(pair.getPublic());
        out.println("private key: " + privateKey + " (owner-only; keep it secret, back it up)");
        out.println("public key:  " + publicKey + " (key id " + id + ")");
        out.println();
        out.println("To make a board trust bundles signed with it, copy the public key into its trusted keys");
        out.println("(as root) and restart the runtime:");
        out.println("  scp " + publicKey + " pi@BOARD:/tmp/ && ssh pi@BOARD 'sudo install -m 644 /tmp/" + publicKey.getFileName()
                + " /etc/pirt/keys/" + name + "-" + id + ".pub && sudo systemctl restart pirt-runtime'");
        out.println("Then sign bundles with: pirt bundle --key " + privateKey + " ...");
        return 0;
    }
}
