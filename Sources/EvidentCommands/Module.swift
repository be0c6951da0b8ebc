public enum EvidentMain { public static func run() {} }
