package dev.thinj.model.serialize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private long filesIn(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }

    @Test
    void replacesTheFileWholeAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("state.json");
        AtomicFiles.write(file, "old".getBytes());
        AtomicFiles.write(file, "new".getBytes());
        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(filesIn(dir)).isEqualTo(1);
    }

    @Test
    void theFileGetsThePermissionsOfAnyNewFileNotOwnerOnly() throws IOException {
        Path plain = Files.createFile(dir.resolve("plain"));
        Path written = dir.resolve("written");
        AtomicFiles.write(written, new byte[] {1});
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(written)).isEqualTo(Files.getPosixFilePermissions(plain));
        }
    }

    @Test
    void aFailedWriteLeavesTheOldFile() throws IOException {
        Path file = dir.resolve("model.bin");
        AtomicFiles.write(file, "old".getBytes());
        Files.createDirectories(dir.resolve("sub"));
        assertThatThrownBy(() -> AtomicFiles.write(dir.resolve("sub"), "x".getBytes())).isInstanceOf(IOException.class);
        assertThat(Files.readString(file)).isEqualTo("old");
        assertThat(filesIn(dir)).isEqualTo(2);
    }
}
