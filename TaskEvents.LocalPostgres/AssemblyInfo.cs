using System.Runtime.Versioning;

// PostgreSQL is started with initdb/pg_ctl and Unix permissions: this launcher is for Linux and macOS.
[assembly: UnsupportedOSPlatform("windows")]
