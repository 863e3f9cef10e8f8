import CZlibDeflate

/// PNG `iTXt` chunks (PNG 1.2 §11.3.4.5): UTF-8 text under a Latin-1 keyword, written
/// uncompressed with no language tag, so the same text always gives the same bytes.
public enum PNGTextChunk {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    public struct ChunkError: Error, Sendable, CustomStringConvertible {
        public var message: String
        public var description: String { "PNG: \(message)" }
    }

    /// `png` with one `iTXt` chunk holding `text` under `keyword`, placed right after `IHDR`;
    /// any `iTXt` chunk already there under the same keyword is removed, so writing twice gives
    /// the bytes of writing once.
    public static func inserting(_ text: String, keyword: String, into png: [UInt8]) throws -> [UInt8] {
        let chunks = try walk(png)
        guard let header = chunks.first, header.type == "IHDR" else { throw ChunkError(message: "the first chunk is not IHDR") }
        var out = signature
        out.reserveCapacity(png.count + text.utf8.count + 64)
        out += png[header.start..<header.end]
        out += chunk(type: "iTXt", data: itxtData(keyword: keyword, text: text))
        for chunk in chunks.dropFirst() where !(chunk.type == "iTXt" && Self.keyword(of: png[chunk.dataStart..<chunk.dataEnd]) == keyword) {
            out += png[chunk.start..<chunk.end]
        }
        return out
    }

    /// The chunks of a whole PNG, each checked against its length (not its CRC), up to `IEND`.
    static func walk(_ png: [UInt8]) throws -> [(type: String, start: Int, dataStart: Int, dataEnd: Int, end: Int)] {
        guard png.count >= 8, Array(png[0..<8]) == signature else { throw ChunkError(message: "not a PNG (no signature)") }
        var chunks: [(type: String, start: Int, dataStart: Int, dataEnd: Int, end: Int)] = []
        var offset = 8
        while offset + 12 <= png.count {
            let length = Int(bigEndian32(png, offset))
            let type = String(decoding: png[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let end = offset + 12 + length
            guard length <= Int(Int32.max), end <= png.count else { throw ChunkError(message: "the chunk \(type.debugDescription) runs past the end of the file") }
            chunks.append((type, offset, offset + 8, offset + 8 + length, end))
            offset = end
            if type == "IEND" { return chunks }
        }
        throw ChunkError(message: "no IEND chunk")
    }

    static func chunk(type: String, data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 12)
        append32(UInt32(data.count), to: &out)
        let typed = Array(type.utf8) + data
        out += typed
        append32(crc(typed), to: &out)
        return out
    }

    static func itxtData(keyword: String, text: String) -> [UInt8] {
        // keyword NUL, compression flag 0, method 0, language tag "" NUL, translated keyword "" NUL.
        Array(keyword.utf8) + [0, 0, 0, 0, 0] + Array(text.utf8)
    }

    /// The keyword of an `iTXt` chunk's data (the bytes before its first NUL).
    static func keyword(of data: ArraySlice<UInt8>) -> String? {
        guard let nul = data.firstIndex(of: 0), nul > data.startIndex, nul - data.startIndex <= 79 else { return nil }
        return String(decoding: data[data.startIndex..<nul], as: UTF8.self)
    }

    /// The text of an uncompressed `iTXt` chunk's data, nil when it is compressed or malformed.
    static func text(of data: ArraySlice<UInt8>) -> String? {
        guard let nul = data.firstIndex(of: 0), nul + 3 < data.endIndex, data[nul + 1] == 0 else { return nil }
        var cursor = nul + 3
        for _ in 0..<2 {  // the language tag and the translated keyword, each NUL-ended
            guard let end = data[cursor...].firstIndex(of: 0) else { return nil }
            cursor = end + 1
        }
        return String(validating: data[cursor...], as: UTF8.self)
    }

    static func crc(_ bytes: [UInt8]) -> UInt32 {
        bytes.withUnsafeBufferPointer { UInt32(truncatingIfNeeded: crc32_z(0, $0.baseAddress, $0.count)) }
    }

    static func bigEndian32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    static func append32(_ value: UInt32, to out: inout [UInt8]) {
        out += [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }
}

/// Finds the `iTXt` text under one keyword in a PNG handed over in pieces (as a file streams
/// past its digest), holding only that chunk: other chunks are counted past, not kept.
public struct PNGTextScanner {
    public enum Finding: Sendable, Equatable {
        /// The chunk's text, its CRC checked.
        case text(String)
        /// There is such a chunk, but its CRC does not match its bytes (it was edited in place).
        case damaged
        /// The file is not a PNG, or ends before its end.
        case notPNG
        /// A PNG without a chunk under the keyword.
        case absent
    }

    let keyword: String
    let maxTextBytes: Int
    private var signature: [UInt8] = []
    private var header: [UInt8] = []
    private var skipping = 0
    private var collecting: [UInt8]?
    private var collectingLength = 0
    private var ended = false
    private var broken = false
    private var found: Finding?

    public init(keyword: String, maxTextBytes: Int = 16 << 20) {
        self.keyword = keyword
        self.maxTextBytes = maxTextBytes
    }

    public mutating func feed<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        var index = bytes.startIndex
        while index != bytes.endIndex, !ended, !broken {
            if signature.count < 8 {
                signature.append(bytes[index])
                index = bytes.index(after: index)
                if signature.count == 8, signature != PNGTextChunk.signature { broken = true }
            } else if skipping > 0 {
                let step = min(skipping, bytes.distance(from: index, to: bytes.endIndex))
                skipping -= step
                index = bytes.index(index, offsetBy: step)
            } else if collecting != nil {
                let step = min(collectingLength - collecting!.count, bytes.distance(from: index, to: bytes.endIndex))
                let next = bytes.index(index, offsetBy: step)
                collecting!.append(contentsOf: bytes[index..<next])
                index = next
                if collecting!.count == collectingLength { finishChunk() }
            } else {
                header.append(bytes[index])
                index = bytes.index(after: index)
                if header.count == 8 { startChunk() }
            }
        }
    }

    /// What was found, once the whole file was fed.
    public var finding: Finding {
        if broken || !ended { return .notPNG }
        return found ?? .absent
    }

    private mutating func startChunk() {
        let length = Int(PNGTextChunk.bigEndian32(header, 0))
        let type = String(decoding: header[4..<8], as: UTF8.self)
        if type == "IEND" { ended = true }
        if type == "iTXt", found == nil, length <= maxTextBytes + 84 {
            collecting = header  // the type (and length) joins the CRC's input below
            collectingLength = 8 + length + 4
        } else {
            skipping = length + 4
            header = []
        }
    }

    private mutating func finishChunk() {
        guard let chunk = collecting else { return }
        collecting = nil
        header = []
        let data = chunk[8..<(chunk.count - 4)]
        guard PNGTextChunk.keyword(of: data) == keyword else { return }
        let stored = PNGTextChunk.bigEndian32(Array(chunk[(chunk.count - 4)...]), 0)
        guard PNGTextChunk.crc(Array(chunk[4..<(chunk.count - 4)])) == stored, let text = PNGTextChunk.text(of: data) else {
            found = .damaged
            return
        }
        found = .text(text)
    }
}
