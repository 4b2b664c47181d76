"""The library functions tier 0 provides by path (``std::fs::File::create``) or by bare
name (the reference's ``range``, ``get_time_ms``, ``open``), each with the runtime
function that implements it, its argument count and the kind of its result.

A plain table with no runtime imports: the resolution layer reads it too, so that
``use std::fs::File;`` or ``use std::process::Command;`` makes ``File``/``Command`` an
alias (resolve/items.py), and interp/library.py binds the calls.
"""
from __future__ import annotations

#: std path -> ("module.function" in ruchy_opt.runtime, fewest args, most args, kind).
STD: dict[str, tuple[str, int, int, str]] = {
    "std::fs::File::create": ("fs.create", 1, 1, "any"),
    "std::fs::File::open": ("fs.open_read", 1, 1, "any"),
    "std::fs::OpenOptions::new": ("fs.OpenOptions", 0, 0, "any"),
    "std::fs::read_dir": ("fs.read_dir", 1, 1, "any"),
    "std::fs::create_dir_all": ("fs.create_dir_all", 1, 1, "any"),
    "std::fs::create_dir": ("fs.create_dir", 1, 1, "any"),
    "std::fs::remove_dir": ("fs.remove_dir", 1, 1, "any"),
    "std::fs::remove_dir_all": ("fs.remove_dir_all", 1, 1, "any"),
    "std::fs::rename": ("fs.rename", 2, 2, "any"),
    "std::fs::copy": ("fs.copy", 2, 2, "any"),
    "std::fs::metadata": ("fs.metadata", 1, 1, "any"),
    "std::fs::read": ("fs.read_bytes", 1, 1, "any"),
    "std::fs::exists": ("fs.fs_exists", 1, 1, "any"),
    "std::io::BufReader::new": ("fs.buffered", 1, 1, "any"),
    "std::io::BufWriter::new": ("fs.buffered", 1, 1, "any"),
    "std::process::Command::new": ("process.new", 1, 1, "any"),
    "std::process::Stdio::piped": ("process.piped", 0, 0, "str"),
    "std::process::Stdio::null": ("process.null", 0, 0, "str"),
    "std::process::Stdio::inherit": ("process.inherit", 0, 0, "str"),
    "std::process::id": ("process.pid", 0, 0, "int"),
    "std::time::Instant::now": ("clock.now", 0, 0, "any"),
    "std::time::SystemTime::now": ("clock.system_now", 0, 0, "any"),
    "std::time::Duration::from_secs": ("clock.from_secs", 1, 1, "any"),
    "std::time::Duration::from_millis": ("clock.from_millis", 1, 1, "any"),
    "std::time::Duration::from_micros": ("clock.from_micros", 1, 1, "any"),
    "std::time::Duration::from_nanos": ("clock.from_nanos", 1, 1, "any"),
    "std::time::Duration::from_secs_f64": ("clock.from_secs_f64", 1, 1, "any"),
    "std::time::Duration::from_secs_f32": ("clock.from_secs_f64", 1, 1, "any"),
    "std::time::Duration::new": ("clock.new", 2, 2, "any"),
    "std::time::Duration::default": ("clock.zero", 0, 0, "any"),
    "std::thread::sleep": ("clock.sleep", 1, 1, "unit"),
    "std::time::now_millis": ("clock.timestamp", 0, 0, "int"),
}

#: The reference's own functions, called by bare name (when the program defines no
#: function of that name): name -> as in :data:`STD`.
BARE: dict[str, tuple[str, int, int, str]] = {
    "max": ("builtins.max_", 2, 2, "any"),
    "min": ("builtins.min_", 2, 2, "any"),
    "range": ("builtins.range_", 1, 3, "arr"),
    "sqrt": ("builtins.sqrt", 1, 1, "float"),
    "abs": ("builtins.abs_", 1, 1, "any"),
    "pow": ("builtins.pow_", 2, 2, "any"),
    "sin": ("builtins.sin", 1, 1, "float"),
    "cos": ("builtins.cos", 1, 1, "float"),
    "tan": ("builtins.tan", 1, 1, "float"),
    "log": ("builtins.log", 1, 1, "float"),
    "log10": ("builtins.log10", 1, 1, "float"),
    "get_time_ms": ("clock.timestamp", 0, 0, "int"),
    "timestamp": ("clock.timestamp", 0, 0, "int"),
    "sleep": ("clock.sleep", 1, 1, "unit"),
    "open": ("fs.plain_open", 1, 2, "any"),
    "file_exists": ("builtins.file_exists", 1, 1, "bool"),
    "append_file": ("fs.append_file", 2, 2, "unit"),
    "delete_file": ("fs.delete_file", 1, 1, "unit"),
    "fs_create_dir": ("fs.plain_create_dir", 1, 1, "unit"),
    "fs_read_dir": ("fs.plain_read_dir", 1, 1, "arr"),
    "fs_is_file": ("builtins.is_file", 1, 1, "bool"),
}

#: The std types a program may name without ``use`` (the reference has them in
#: scope): ``Instant::now()`` means ``std::time::Instant::now()``.
SHORT_TYPES = {"File": "std::fs::File", "OpenOptions": "std::fs::OpenOptions",
               "BufReader": "std::io::BufReader", "BufWriter": "std::io::BufWriter",
               "Command": "std::process::Command", "Stdio": "std::process::Stdio",
               "Instant": "std::time::Instant", "Duration": "std::time::Duration",
               "SystemTime": "std::time::SystemTime"}

#: Every module and type path above a library function (``std::fs``,
#: ``std::fs::File``): what ``use`` may name.
PREFIXES = frozenset("::".join(k.split("::")[:i]) for k in STD
                     for i in range(2, k.count("::") + 1))
