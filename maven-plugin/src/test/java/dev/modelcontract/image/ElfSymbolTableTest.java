package dev.modelcontract.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On libsample.so (src/test/resources/elf/generate.sh): 1,000 local functions, one exported. */
class ElfSymbolTableTest {

  @TempDir
  Path dir;

  private Path original;

  @BeforeEach
  void copyFixture() throws IOException, URISyntaxException {
    original = Files.copy(Path.of(Objects.requireNonNull(getClass().getResource("/elf/libsample.so")).toURI()),
        dir.resolve("libsample.so"));
  }

  /** A section header: type, file offset, size and link, with its bytes. */
  private record Section(int type, long offset, long size, int link, byte[] bytes) {}

  private static List<Section> sections(byte[] file) {
    ByteBuffer elf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    long shoff = elf.getLong(0x28);
    List<Section> sections = new ArrayList<>();
    for (int i = 0; i < elf.getShort(0x3C); i++) {
      int at = (int) shoff + i * 64;
      int type = elf.getInt(at + 4);
      long offset = elf.getLong(at + 24);
      long size = elf.getLong(at + 32);
      byte[] bytes = type == 8 || type == 0 ? new byte[0]
          : Arrays.copyOfRange(file, (int) offset, (int) (offset + size));
      sections.add(new Section(type, offset, size, elf.getInt(at + 40), bytes));
    }
    return sections;
  }

  /**
   * The bytes of every loadable segment, in program header order, but for the ELF header's section table offset
   * (the first segment maps the header; the loader does not read that field).
   */
  private static List<byte[]> loadedBytes(byte[] file) {
    ByteBuffer elf = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    long phoff = elf.getLong(0x20);
    List<byte[]> segments = new ArrayList<>();
    for (int i = 0; i < elf.getShort(0x38); i++) {
      int at = (int) phoff + i * 56;
      if (elf.getInt(at) == 1) {
        long offset = elf.getLong(at + 8);
        byte[] segment = Arrays.copyOfRange(file, (int) offset, (int) (offset + elf.getLong(at + 32)));
        if (offset == 0) {
          Arrays.fill(segment, 0x28, 0x30, (byte) 0);
        }
        segments.add(segment);
      }
    }
    return segments;
  }

  @Test
  void removesTheStaticSymbolTableAndItsStringsAndKeepsEveryLoadedByte() throws IOException {
    Path stripped = dir.resolve("stripped.so");

    Optional<ElfSymbolTable.Stripped> result = ElfSymbolTable.strip(original, stripped);

    byte[] before = Files.readAllBytes(original);
    byte[] after = Files.readAllBytes(stripped);
    assertThat(result).contains(new ElfSymbolTable.Stripped(before.length, after.length));
    List<Section> sectionsBefore = sections(before);
    int symtab = sectionsBefore.indexOf(sectionsBefore.stream().filter(s -> s.type() == 2).findFirst().orElseThrow());
    int strtab = sectionsBefore.get(symtab).link();
    long tables = sectionsBefore.get(symtab).size() + sectionsBefore.get(strtab).size();
    assertThat((long) (before.length - after.length)).as("the tables' %d bytes, less padding", tables)
        .isBetween(tables - 8, tables);
    List<Section> sectionsAfter = sections(after);
    assertThat(sectionsAfter).hasSameSizeAs(sectionsBefore).noneMatch(s -> s.type() == 2);
    for (int i = 0; i < sectionsBefore.size(); i++) {
      if (i == symtab || i == strtab) {
        assertThat(sectionsAfter.get(i).type()).as("section %d", i).isZero();
      } else {
        assertThat(sectionsAfter.get(i).bytes()).as("section %d", i).isEqualTo(sectionsBefore.get(i).bytes());
      }
    }
    assertThat(loadedBytes(after)).usingRecursiveComparison().isEqualTo(loadedBytes(before));
  }

  @Test
  void theStrippedLibraryLoadsAndComputesWhatTheOriginalDoes() throws IOException {
    Path stripped = dir.resolve("libstripped.so");
    ElfSymbolTable.strip(original, stripped);

    int fromOriginal = NativeLibrary.getInstance(original.toString()).getFunction("sample").invokeInt(new Object[] {2});
    int fromStripped = NativeLibrary.getInstance(stripped.toString()).getFunction("sample").invokeInt(new Object[] {2});

    assertThat(fromOriginal).isEqualTo(2 * 500_500 + 1_000);
    assertThat(fromStripped).isEqualTo(fromOriginal);
  }

  @Test
  void aLibraryWithoutStaticSymbolTableIsLeftAloneAndNothingIsWritten() throws IOException {
    Path once = dir.resolve("once.so");
    ElfSymbolTable.strip(original, once);
    Path twice = dir.resolve("twice.so");

    assertThat(ElfSymbolTable.strip(once, twice)).isEmpty();
    assertThat(twice).doesNotExist();
  }

  @Test
  void aFileThatIsNotElfIsLeftAlone() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.so"), "not a library at all, but long enough to hold a header");
    Path target = dir.resolve("out.so");

    assertThat(ElfSymbolTable.strip(text, target)).isEmpty();
    assertThat(ElfSymbolTable.strip(Files.write(dir.resolve("short.so"), new byte[] {0x7f, 'E'}), target)).isEmpty();
    assertThat(target).doesNotExist();
  }

  @Test
  void keepsTheSourceFilePermissions() throws IOException {
    Path stripped = dir.resolve("stripped.so");

    ElfSymbolTable.strip(original, stripped);

    assertThat(Files.getPosixFilePermissions(stripped)).isEqualTo(Files.getPosixFilePermissions(original));
  }

  @Test
  void strippedLibrariesAreMadeOnceAndLibrariesWithoutTableAreUsedAsTheyAre() throws IOException {
    List<String> log = new ArrayList<>();
    StrippedLibraries cache = new StrippedLibraries(dir.resolve("cache"), log::add);

    Path first = cache.of(original);
    Path second = cache.of(original);
    Path text = Files.writeString(dir.resolve("notes.so"), "not a library");

    assertThat(first).isNotEqualTo(original).startsWith(dir.resolve("cache")).hasFileName("libsample.so");
    assertThat(second).isEqualTo(first);
    assertThat(log).hasSize(1).first().asString().contains("libsample.so without its static symbol table");
    assertThat(cache.of(text)).isEqualTo(text);
    assertThat(cache.of(text)).isEqualTo(text);
  }
}
