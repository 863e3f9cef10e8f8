/// A growable byte buffer written through a raw pointer. `[UInt8].append` checks uniqueness and
/// capacity through the runtime on every byte, which dominated canonicalization; this checks
/// capacity inline and copies into an array once at the end. Non-copyable so the storage has
/// exactly one owner and is freed exactly once, even when writing throws.
struct ByteSink: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toAtLeast: count + 1) }
        base[count] = byte
        count += 1
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if count + bytes.count > capacity { grow(toAtLeast: count + bytes.count) }
        (base + count).initialize(from: source, count: bytes.count)
        count += bytes.count
    }

    /// The fast path for strings: copies `"utf8"` eight bytes at a time while checking that no
    /// byte needs escaping. Returns false, having written nothing, when one does.
    mutating func appendQuotedIfNoEscapes(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = utf8.count
        if count + length + 2 > capacity { grow(toAtLeast: count + length + 2) }
        let destination = base + count + 1
        if let source = utf8.baseAddress {
            let raw = UnsafeRawPointer(source)
            var offset = 0
            while offset + 8 <= length {
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                if JSONTextEncoding.wordNeedsEscape(word) { return false }
                UnsafeMutableRawPointer(destination).storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
                offset += 8
            }
            while offset < length {
                let byte = source[offset]
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return false }
                destination[offset] = byte
                offset += 1
            }
        }
        base[count] = UInt8(ascii: "\"")
        destination[length] = UInt8(ascii: "\"")
        count += length + 2
        return true
    }

    /// Writes `"key":` for a key of at most 16 bytes held in two little-endian words; the
    /// stores may run past the key, into capacity that the following writes then overwrite.
    mutating func appendQuotedShortKey(low: UInt64, high: UInt64, length: Int) {
        if count + 20 > capacity { grow(toAtLeast: count + 20) }
        let start = UnsafeMutableRawPointer(base + count)
        start.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
        start.storeBytes(of: low.littleEndian, toByteOffset: 1, as: UInt64.self)
        start.storeBytes(of: high.littleEndian, toByteOffset: 9, as: UInt64.self)
        start.storeBytes(of: UInt8(ascii: "\""), toByteOffset: length + 1, as: UInt8.self)
        start.storeBytes(of: UInt8(ascii: ":"), toByteOffset: length + 2, as: UInt8.self)
        count += length + 3
    }

    mutating func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    /// Appends the decimal digits of `value`, written in place from the last digit back.
    mutating func appendDecimal(_ value: UInt64) {
        if value < 10 {
            append(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: value))
            return
        }
        var digitCount = 1
        var rest = value / 10
        while rest > 0 {
            digitCount += 1
            rest /= 10
        }
        if count + digitCount > capacity { grow(toAtLeast: count + digitCount) }
        rest = value
        var position = count + digitCount
        repeat {
            position -= 1
            base[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
        } while rest > 0
        count += digitCount
    }

    @inline(never)
    private mutating func grow(toAtLeast minimum: Int) {
        let newCapacity = max(minimum, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }

    func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    func makeArray() -> [UInt8] {
        Array(UnsafeBufferPointer(start: base, count: count))
    }

    func makeString() -> String {
        String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self)
    }
}
