import CZlibDeflate
import Foundation

/// A zip archive written front to back in one pass (PKWARE APPNOTE 6.3.10): each entry's local
/// header — its CRC-32 and sizes are known up front, the bytes being in memory — then its data;
/// the central directory is kept in memory (about 90 bytes an entry) and written at the end,
/// with ZIP64 records where the archive needs them (over 65,535 entries; sizes or offsets past
/// 4 GiB). Entries are stored or raw-deflated (zlib), names are UTF-8, every entry has the same
/// date and permissions: the same entries in the same order give the same bytes.
///
/// Not ZIPFoundation's `Archive` (which `verify` still reads with): it keeps the archive valid
/// after each call by reading and rewriting the whole central directory on every entry, so n
/// entries cost O(n²) — for a 10,000-image export, 487,000 `write` calls and 3.7 GB through the
/// page cache, most of the export's time.
final class ZipWriter {
    /// 1980-01-01 00:00, the earliest date a zip can hold (DOS date and time fields).
    static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1
    static let dosTime: UInt16 = 0
    /// A regular file, rw-r--r--, in the upper half of the external attributes (Unix).
    static let fileAttributes: UInt32 = 0o100644 << 16

    private let descriptor: Int32
    private let path: String
    private var offset: UInt64 = 0
    private var centralDirectory: [UInt8] = []
    private var entries: UInt64 = 0
    /// Headers and small entries are gathered here and written in large pieces.
    private var buffer: [UInt8] = []
    private static let bufferLimit = 1 << 20
    private var closed = false

    /// Creates the file; it must not exist (no symbolic link is followed).
    init(creating path: String) throws {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ZipWriterError(operation: "create", path: path, errno: errno) }
        buffer.reserveCapacity(Self.bufferLimit)
    }

    deinit {
        if !closed { close(descriptor) }
    }

    /// Adds a file entry. `deflate`: compress it (kept stored when that does not make it smaller).
    func add(_ name: String, _ bytes: [UInt8], deflate: Bool) throws {
        guard !closed else { throw ZipWriterError(operation: "add to", path: path, errno: EBADF) }
        guard Self.isSafeName(name) else { throw ZipWriterError(message: "refusing the zip entry name \(TextSanitizer.quoted(name))") }
        let crc = bytes.withUnsafeBufferPointer { UInt32(truncatingIfNeeded: crc32_z(0, $0.baseAddress, $0.count)) }
        var method: UInt16 = 0
        var stored = bytes
        if deflate, let compressed = try Self.deflated(bytes), compressed.count < bytes.count {
            method = 8
            stored = compressed
        }
        let size = UInt64(bytes.count)
        let compressedSize = UInt64(stored.count)
        let localOffset = offset
        let name = Array(name.utf8)
        let zip64Sizes = size >= 0xFFFF_FFFF || compressedSize >= 0xFFFF_FFFF
        let needed: UInt16 = zip64Sizes || localOffset >= 0xFFFF_FFFF ? 45 : 20

        var local: [UInt8] = []
        local.reserveCapacity(30 + name.count + 20)
        local.le(UInt32(0x0403_4B50))
        local.le(needed)
        local.le(UInt16(0x0800))  // bit 11: the name is UTF-8
        local.le(method)
        local.le(Self.dosTime)
        local.le(Self.dosDate)
        local.le(crc)
        local.le(zip64Sizes ? UInt32.max : UInt32(compressedSize))
        local.le(zip64Sizes ? UInt32.max : UInt32(size))
        local.le(UInt16(name.count))
        local.le(UInt16(zip64Sizes ? 20 : 0))
        local += name
        if zip64Sizes {
            local.le(UInt16(0x0001))
            local.le(UInt16(16))
            local.le(size)
            local.le(compressedSize)
        }
        try write(local)
        try write(stored)

        // The central directory's ZIP64 field holds, in this order, only the values that do not fit.
        var extra: [UInt8] = []
        if size >= 0xFFFF_FFFF { extra.le(size) }
        if compressedSize >= 0xFFFF_FFFF { extra.le(compressedSize) }
        if localOffset >= 0xFFFF_FFFF { extra.le(localOffset) }
        var record: [UInt8] = []
        record.reserveCapacity(46 + name.count + 4 + extra.count)
        record.le(UInt32(0x0201_4B50))
        record.le(UInt16(3 << 8) | needed)  // made by: Unix
        record.le(needed)
        record.le(UInt16(0x0800))
        record.le(method)
        record.le(Self.dosTime)
        record.le(Self.dosDate)
        record.le(crc)
        record.le(compressedSize >= 0xFFFF_FFFF ? UInt32.max : UInt32(compressedSize))
        record.le(size >= 0xFFFF_FFFF ? UInt32.max : UInt32(size))
        record.le(UInt16(name.count))
        record.le(UInt16(extra.isEmpty ? 0 : 4 + extra.count))
        record.le(UInt16(0))  // comment
        record.le(UInt16(0))  // disk
        record.le(UInt16(0))  // internal attributes
        record.le(Self.fileAttributes)
        record.le(localOffset >= 0xFFFF_FFFF ? UInt32.max : UInt32(localOffset))
        record += name
        if !extra.isEmpty {
            record.le(UInt16(0x0001))
            record.le(UInt16(extra.count))
            record += extra
        }
        centralDirectory += record
        entries += 1
    }

    /// Writes the central directory and the end records, and closes the file.
    func finish() throws {
        guard !closed else { return }
        let start = offset
        let size = UInt64(centralDirectory.count)
        try write(centralDirectory)
        centralDirectory = []
        let zip64 = entries >= 0xFFFF || size >= 0xFFFF_FFFF || start >= 0xFFFF_FFFF
        var end: [UInt8] = []
        if zip64 {
            let recordOffset = offset
            end.le(UInt32(0x0606_4B50))
            end.le(UInt64(44))  // the size of the rest of this record
            end.le(UInt16(3 << 8 | 45))
            end.le(UInt16(45))
            end.le(UInt32(0))  // this disk
            end.le(UInt32(0))  // the disk with the central directory
            end.le(entries)
            end.le(entries)
            end.le(size)
            end.le(start)
            end.le(UInt32(0x0706_4B50))  // locator
            end.le(UInt32(0))
            end.le(recordOffset)
            end.le(UInt32(1))  // disks
        }
        end.le(UInt32(0x0605_4B50))
        end.le(UInt16(0))
        end.le(UInt16(0))
        end.le(UInt16(min(entries, 0xFFFF)))
        end.le(UInt16(min(entries, 0xFFFF)))
        end.le(UInt32(min(size, 0xFFFF_FFFF)))
        end.le(UInt32(min(start, 0xFFFF_FFFF)))
        end.le(UInt16(0))  // comment
        try write(end)
        try flush()
        // The zip may live on another file system than the bundle's directory (syncfs covers
        // that one): it is flushed to the disk itself before it is moved into place.
        guard fsync(descriptor) == 0 else { throw ZipWriterError(operation: "flush", path: path, errno: errno) }
        closed = true
        guard close(descriptor) == 0 else { throw ZipWriterError(operation: "close", path: path, errno: errno) }
    }

    /// A relative path of plain components: no `..`, no absolute path, no backslash or NUL.
    static func isSafeName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), name.utf8.count <= 0xFFFF else { return false }
        if name.utf8.contains(0) || name.contains("\\") { return false }
        return !name.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    /// Raw deflate at zlib's default level; nil when the input is too large for one call.
    static func deflated(_ bytes: [UInt8]) throws -> [UInt8]? {
        guard bytes.count < Int(UInt32.max) else { return nil }
        var stream = z_stream()
        guard czlib_deflate_init_raw(&stream, Z_DEFAULT_COMPRESSION) == Z_OK else {
            throw ZipWriterError(message: "zlib could not start deflating")
        }
        defer { deflateEnd(&stream) }
        // One call takes at most 4 GiB of output: a larger bound is stored instead.
        let bound = Int(deflateBound(&stream, uLong(bytes.count)))
        guard bound < Int(UInt32.max) else { return nil }
        var output = [UInt8](repeating: 0, count: bound)
        let status = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw ZipWriterError(message: "zlib could not deflate an entry (status \(status))") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    private func write(_ bytes: [UInt8]) throws {
        if buffer.count + bytes.count <= Self.bufferLimit {
            buffer += bytes
        } else {
            try flush()
            if bytes.count <= Self.bufferLimit { buffer += bytes } else { try writeThrough(bytes) }
        }
        offset += UInt64(bytes.count)
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try writeThrough(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeThrough(_ bytes: [UInt8]) throws {
        if let code = writeAll(descriptor, bytes) { throw ZipWriterError(operation: "write", path: path, errno: code) }
    }
}

struct ZipWriterError: Error, CustomStringConvertible {
    var message: String

    init(message: String) { self.message = message }

    init(operation: String, path: String, errno code: Int32) {
        message = "cannot \(operation) \(TextSanitizer.visible(path, limit: 300)): \(String(cString: strerror(code)))"
    }

    var description: String { message }
}

extension [UInt8] {
    /// Appends `value` little-endian, as every zip field is.
    fileprivate mutating func le<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.littleEndian) { append(contentsOf: $0) }
    }
}
