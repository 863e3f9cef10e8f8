@testable import FuzzCore

/// CSV reader: any bytes either read as records or fail with a positioned error, which is then
/// sticky (SPEC §4).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    var reader = CSVReader(bytes: Array(UnsafeBufferPointer(start: data, count: size)))
    do {
        while let record = try reader.next() {
            precondition(record.line >= 1 && record.columns.count == record.fields.count)
            precondition(record.columns.allSatisfy { $0 >= 1 } && record.fieldLines.allSatisfy { $0 >= record.line })
        }
    } catch let error as CSVError {
        precondition(error.line >= 1 && error.column >= 1)
        do {
            _ = try reader.next()
            preconditionFailure("a CSV error must be sticky")
        } catch let again as CSVError {
            precondition(again == error)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    } catch {
        preconditionFailure("unexpected error \(error)")
    }
    return 0
}
