import Foundation

/// What went wrong with a file operation, in the system's words ("No such file or directory",
/// "Permission denied") rather than Foundation's "The operation could not be completed.
/// (NSCocoaErrorDomain error 512.)", which tells a user nothing they can act on.
public enum FileErrorText {
    public static func reason(_ error: Error) -> String {
        let ns = error as NSError
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if ns.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(ns.code))) }
        return TextSanitizer.visible(ns.localizedDescription, limit: 300)
    }
}
