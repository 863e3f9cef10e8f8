@testable import FuzzCore

/// The storyboard reader's records: the first byte picks JSON Lines (odd) or a JSON array
/// (even); every record that is accepted names a valid shot and compiles to a prompt.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStoryboard(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
    guard let elements = try? StoryboardRecords.elements(bytes, jsonLines: data[0] & 1 == 1) else { return 0 }
    for element in elements {
        guard let item = try? StoryboardRecords.item(from: element, mapping: .default) else { continue }
        precondition(ShotID.isValid(item.shotID), "an accepted record must have a valid shot id")
        switch item {
        case .record(let record):
            precondition(record.attributes.allSatisfy { $0.value.stringValue != nil })
        case .shot(_, let spec):
            precondition(SpecValidator.violations(of: spec).isEmpty)
            _ = StructuredPrompt.forSpec(spec)
        }
    }
    return 0
}
