import Foundation
import Logging

/// Log lines as a user reads them in a terminal or a batch log: `21:14:39 message`, with `rank 3`
/// only for ranks other than 0 and the level only when it is not `info`, to standard error.
struct ShortLogHandler: LogHandler {
    /// The rank whose lines these are.
    let rank: Int
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var text = Self.clock()
        if rank > 0 { text += " rank \(rank)" }
        if event.level != .info { text += " \(event.level)" }
        text += (rank > 0 || event.level != .info ? ": " : " ") + event.message.description + "\n"
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The local time of day, HH:MM:SS.
    static func clock() -> String {
        var now = time(nil), parts = tm()
        localtime_r(&now, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}
