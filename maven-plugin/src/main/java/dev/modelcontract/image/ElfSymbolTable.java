package dev.modelcontract.image;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Removes the static symbol table ({@code .symtab} and the {@code .strtab} it names) from a 64-bit little-endian
 * ELF shared library: what {@code strip --strip-unneeded} removes first, and what neither the dynamic loader nor
 * the library's code ever reads (they use {@code .dynsym}). libtorch ships with one: 89 of its 446 MB.
 *
 * <p>Nothing the loader reads changes: every byte of every segment stays as it was but the ELF header's section
 * table offset, the removed sections' headers become inactive ({@code SHT_NULL}) so no section index moves, and
 * what follows the tables moves down by a multiple of the largest alignment among what follows, so every segment
 * keeps its offset's congruence with its address. A library whose layout does not allow that (the tables not
 * contiguous, or inside a segment) is left as it is.
 */
public final class ElfSymbolTable {

  private static final int SHT_NULL = 0;
  private static final int SHT_SYMTAB = 2;
  private static final int SHT_STRTAB = 3;
  private static final int SHT_RELA = 4;
  private static final int SHT_NOBITS = 8;
  private static final int SHT_REL = 9;
  private static final int SHT_SYMTAB_SHNDX = 18;
  private static final long SHF_ALLOC = 0x2;
  private static final long SHF_INFO_LINK = 0x40;
  private static final int SECTION_HEADER = 64;
  private static final int PROGRAM_HEADER = 56;

  private ElfSymbolTable() {}

  /** What stripping removed: the file's size before and after. */
  public record Stripped(long sizeBefore, long sizeAfter) {}

  private record Section(int index, int type, long flags, long offset, long size, int link, int info,
      long alignment) {
    long end() {
      return type == SHT_NOBITS ? offset : offset + size;
    }
  }

  private record Segment(int index, long offset, long fileSize, long alignment) {}

  /**
   * Writes {@code source} without its static symbol table to {@code target} (replaced atomically).
   *
   * @return what was removed, or empty when {@code source} has no static symbol table, is not a 64-bit
   *     little-endian ELF file, or is laid out so that removing it would move a segment; then nothing is written
   */
  public static Optional<Stripped> strip(Path source, Path target) throws IOException {
    try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
      long length = in.size();
      if (length < 64) {
        return Optional.empty();
      }
      ByteBuffer header = read(in, 0, 64);
      if (header.getInt(0) != 0x464c457f || header.get(4) != 2 || header.get(5) != 1) {
        return Optional.empty();
      }
      long phoff = header.getLong(0x20);
      long shoff = header.getLong(0x28);
      int phnum = Short.toUnsignedInt(header.getShort(0x38));
      int shnum = Short.toUnsignedInt(header.getShort(0x3C));
      int shstrndx = Short.toUnsignedInt(header.getShort(0x3E));
      if (shoff == 0 || shnum == 0 || header.getShort(0x3A) != SECTION_HEADER
          || phnum > 0 && header.getShort(0x36) != PROGRAM_HEADER
          || shoff + (long) shnum * SECTION_HEADER > length || phoff + (long) phnum * PROGRAM_HEADER > length) {
        return Optional.empty();
      }
      List<Section> sections = sections(read(in, shoff, shnum * SECTION_HEADER), shnum);
      List<Segment> segments = segments(read(in, phoff, phnum * PROGRAM_HEADER), phnum);

      List<Section> removed = removable(sections, shstrndx);
      if (removed.isEmpty()) {
        return Optional.empty();
      }
      long start = removed.stream().mapToLong(Section::offset).min().orElseThrow();
      long end = removed.stream().mapToLong(Section::end).max().orElseThrow();
      long alignment = 8;
      for (Section kept : sections) {
        if (!removed.contains(kept) && kept.type() != SHT_NULL) {
          if (kept.size() > 0 && kept.type() != SHT_NOBITS && kept.offset() < end && kept.end() > start
              || kept.offset() > start && kept.offset() < end) {
            return Optional.empty(); // another section lies between or inside the tables
          }
          if (kept.offset() >= end) {
            alignment = Math.max(alignment, kept.alignment());
          }
        }
      }
      for (Segment segment : segments) {
        if (segment.offset() < end && segment.offset() + segment.fileSize() > start
            || segment.offset() > start && segment.offset() < end) {
          return Optional.empty();
        }
        if (segment.offset() >= end) {
          alignment = Math.max(alignment, segment.alignment());
        }
      }
      if (shoff > start && shoff < end || phoff > start && phoff < end) {
        return Optional.empty();
      }
      long shift = (end - start) / alignment * alignment;
      if (shift == 0) {
        return Optional.empty();
      }

      Path temporary = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName() + ".", ".tmp");
      try {
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
          copy(in, 0, start, out);
          out.write(ByteBuffer.allocate((int) (end - start - shift)));
          copy(in, end, length - end, out);
          patch(out, header, sections, segments, removed, start, end, shift, phoff, shoff);
        }
        Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(source));
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temporary);
      }
      return Optional.of(new Stripped(length, length - shift));
    }
  }

  /** The static symbol tables, the string tables only they name, and their extended index tables. */
  private static List<Section> removable(List<Section> sections, int shstrndx) {
    List<Section> removed = new ArrayList<>();
    for (Section symtab : sections) {
      if (symtab.type() != SHT_SYMTAB || (symtab.flags() & SHF_ALLOC) != 0 || symtab.link() >= sections.size()) {
        continue;
      }
      removed.add(symtab);
      Section strtab = sections.get(symtab.link());
      boolean onlyNamedBySymtab = sections.stream().noneMatch(other -> other.link() == strtab.index()
          && other.type() != SHT_SYMTAB && other.type() != SHT_NULL);
      if (strtab.type() == SHT_STRTAB && (strtab.flags() & SHF_ALLOC) == 0 && strtab.index() != shstrndx
          && onlyNamedBySymtab && !removed.contains(strtab)) {
        removed.add(strtab);
      }
      sections.stream().filter(s -> s.type() == SHT_SYMTAB_SHNDX && s.link() == symtab.index())
          .forEach(removed::add);
    }
    for (Section kept : sections) {
      if (removed.contains(kept) || kept.type() == SHT_NULL) {
        continue;
      }
      boolean infoIsSection = kept.type() == SHT_REL || kept.type() == SHT_RELA
          || (kept.flags() & SHF_INFO_LINK) != 0;
      for (Section gone : removed) {
        if (kept.link() == gone.index() || infoIsSection && kept.info() == gone.index()) {
          return List.of(); // something still refers to the table (relocations of an object file)
        }
      }
    }
    return removed;
  }

  private static void patch(FileChannel out, ByteBuffer header, List<Section> sections, List<Segment> segments,
      List<Section> removed, long start, long end, long shift, long phoff, long shoff) throws IOException {
    long newShoff = moved(shoff, end, shift);
    ByteBuffer elf = header.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    elf.putLong(0x28, newShoff);
    out.write(elf.rewind(), 0);
    long newPhoff = moved(phoff, end, shift);
    for (Segment segment : segments) {
      if (segment.offset() >= end) {
        out.write(longAt(segment.offset() - shift), newPhoff + (long) segment.index() * PROGRAM_HEADER + 8);
      }
    }
    for (Section section : sections) {
      long at = newShoff + (long) section.index() * SECTION_HEADER;
      if (removed.contains(section)) {
        out.write(ByteBuffer.allocate(SECTION_HEADER), at);
      } else if (section.offset() >= end && section.type() != SHT_NULL) {
        out.write(longAt(section.offset() - shift), at + 24);
      }
    }
  }

  private static long moved(long offset, long end, long shift) {
    return offset >= end ? offset - shift : offset;
  }

  private static ByteBuffer longAt(long value) {
    return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
  }

  private static List<Section> sections(ByteBuffer table, int count) {
    List<Section> sections = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int at = i * SECTION_HEADER;
      sections.add(new Section(i, table.getInt(at + 4), table.getLong(at + 8), table.getLong(at + 24),
          table.getLong(at + 32), table.getInt(at + 40), table.getInt(at + 44), Math.max(1, table.getLong(at + 48))));
    }
    return sections;
  }

  private static List<Segment> segments(ByteBuffer table, int count) {
    List<Segment> segments = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int at = i * PROGRAM_HEADER;
      segments.add(new Segment(i, table.getLong(at + 8), table.getLong(at + 32), Math.max(1, table.getLong(at + 48))));
    }
    return segments;
  }

  private static ByteBuffer read(FileChannel in, long position, int size) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    while (buffer.hasRemaining()) {
      if (in.read(buffer, position + buffer.position()) < 0) {
        break;
      }
    }
    return buffer.flip().order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void copy(FileChannel in, long position, long count, FileChannel out) throws IOException {
    for (long done = 0; done < count; ) {
      done += in.transferTo(position + done, count - done, out);
    }
  }
}
