"""The library at tier 0: files (std::fs), processes (std::process::Command), clocks
(std::time) and the reference's plain functions (docs/level3.md "Library: files,
processes, time"). The first two programs are valid Rust: their expected outputs are
what rustc's build of the same text printed (Rust 1.x, Linux); the files they write
go to pytest's tmp_path."""
from __future__ import annotations

from pathlib import Path

from tests.interp.tier0_support import error, run

FS_PROGRAM = r'''use std::fs::{self, File};
use std::io::Write;
use std::path::Path;

fn main() {
    let root = "DIR";
    fs::create_dir_all(format!("{}/data/sub", root)).unwrap();
    let mut f = File::create(format!("{}/data/a.txt", root)).unwrap();
    writeln!(f, "line {}", 1).unwrap();
    write!(f, "line {}\n", 2).unwrap();
    f.write_all(b"bytes\n").unwrap();
    f.write_all("text\n".as_bytes()).unwrap();
    let text = fs::read_to_string(format!("{}/data/a.txt", root)).unwrap();
    print!("{}", text);
    println!("{}", text.lines().count());
    let n = fs::copy(format!("{}/data/a.txt", root), format!("{}/data/b.txt", root)).unwrap();
    println!("copied {} bytes", n);
    fs::rename(format!("{}/data/b.txt", root), format!("{}/data/c.txt", root)).unwrap();
    let mut names = Vec::new();
    for entry in fs::read_dir(format!("{}/data", root)).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        names.push(format!("{} dir={} file={}", name, path.is_dir(), path.is_file()));
    }
    names.sort();
    for n in &names {
        println!("{}", n);
    }
    let meta = fs::metadata(format!("{}/data/c.txt", root)).unwrap();
    println!("len={} is_file={} is_dir={}", meta.len(), meta.is_file(), meta.is_dir());
    match File::open(format!("{}/missing.txt", root)) {
        Ok(_) => println!("opened?"),
        Err(e) => println!("error: {}", e),
    }
    match fs::read_to_string(format!("{}/missing.txt", root)) {
        Ok(_) => println!("read?"),
        Err(e) => println!("error kind: {:?}", e.kind()),
    }
    fs::remove_file(format!("{}/data/c.txt", root)).unwrap();
    println!("{}", Path::new(&format!("{}/data/c.txt", root)).exists());
    fs::remove_dir_all(format!("{}/data", root)).unwrap();
    println!("{}", Path::new(&format!("{}/data", root)).exists());
    let p = Path::new("dir/sub/name.tar.gz");
    println!("{}", p.parent().unwrap().display());
    println!("{}", p.file_stem().unwrap().to_str().unwrap());
    println!("{}", p.extension().unwrap().to_str().unwrap());
    println!("{}", Path::new("dir").join("x.txt").display());
    println!("{}", Path::new("dir/a.txt").with_extension("md").display());
    println!("{}", Path::new("/abs").join("/other").display());
}
'''

#: rustc's output for FS_PROGRAM (the directory listing is sorted by the program).
FS_EXPECTED = '''line 1
line 2
bytes
text
4
copied 25 bytes
a.txt dir=false file=true
c.txt dir=false file=true
sub dir=true file=false
len=25 is_file=true is_dir=false
error: No such file or directory (os error 2)
error kind: NotFound
false
false
dir/sub
name.tar
gz
dir/x.txt
dir/a.md
/other
'''


def test_files_and_directories(tmp_path: Path) -> None:
    assert run(FS_PROGRAM.replace('"DIR"', f'"{tmp_path}"')) == FS_EXPECTED
    assert not (tmp_path / "data").exists()


TIME_AND_PROCESSES = r'''use std::process::Command;
use std::time::{Duration, Instant};

fn main() {
    let ds = vec![Duration::from_millis(1500), Duration::from_micros(12), Duration::from_secs(3),
                  Duration::from_nanos(7), Duration::from_millis(250), Duration::new(2, 5_000_000)];
    for d in &ds {
        println!("{:?} secs={} millis={} micros={} nanos={}", d, d.as_secs(), d.as_millis(), d.as_micros(), d.as_nanos());
    }
    let total = Duration::from_secs(1) + Duration::from_millis(500);
    println!("{:?} {} {}", total, total.as_secs_f64(), total.subsec_millis());
    println!("{:?} {:?}", total - Duration::from_millis(700), total * 2);
    println!("{}", Duration::from_millis(999) < Duration::from_secs(1));
    let mut sorted = ds.clone();
    sorted.sort();
    println!("{:?}", sorted);
    let start = Instant::now();
    let mut x = 0;
    for i in 0..1000 {
        x += i;
    }
    let took = start.elapsed();
    println!("{} {}", x, took < Duration::from_secs(5));

    let out = Command::new("sh").arg("-c").arg("echo hi; echo oops >&2; exit 3").output().unwrap();
    println!("{} {:?}", out.status.success(), out.status.code());
    println!("[{}] [{}]", String::from_utf8_lossy(&out.stdout).trim(), String::from_utf8_lossy(&out.stderr).trim());
    let ok = Command::new("sh").args(&["-c", "printf '%s-%s' \"$0\" \"$GREETING\"", "zero"]).env("GREETING", "hello").output().unwrap();
    println!("{} {}", ok.status.success(), String::from_utf8(ok.stdout).unwrap());
    let here = Command::new("pwd").current_dir("/").output().unwrap();
    print!("{}", String::from_utf8_lossy(&here.stdout));
    match Command::new("no-such-program-xyz").output() {
        Ok(_) => println!("ran?"),
        Err(e) => println!("cannot run: {}", e),
    }
    let status = Command::new("true").status().unwrap();
    println!("{}", status);
}
'''

#: rustc's output for TIME_AND_PROCESSES.
TIME_AND_PROCESSES_EXPECTED = '''1.5s secs=1 millis=1500 micros=1500000 nanos=1500000000
12µs secs=0 millis=0 micros=12 nanos=12000
3s secs=3 millis=3000 micros=3000000 nanos=3000000000
7ns secs=0 millis=0 micros=0 nanos=7
250ms secs=0 millis=250 micros=250000 nanos=250000000
2.005s secs=2 millis=2005 micros=2005000 nanos=2005000000
1.5s 1.5 500
800ms 3s
true
[7ns, 12µs, 250ms, 1.5s, 2.005s, 3s]
499500 true
false Some(3)
[hi] [oops]
true zero-hello
/
cannot run: No such file or directory (os error 2)
exit status: 0
'''


def test_durations_instants_and_commands() -> None:
    assert run(TIME_AND_PROCESSES) == TIME_AND_PROCESSES_EXPECTED


def test_reference_plain_functions() -> None:
    # Not Rust: the reference's own functions (paiml/ruchy's builtin table). Expected
    # output derived by hand: max/min of an int and a float compare as floats; range
    # gives an array; char_at counts chars and is unit past the end; to_int truncates.
    assert run('''fun main() {
    println(max(3, 7), min(2.5, 1), max(2, 1.5))
    println(range(1, 4), range(3), range(10, 0, -3))
    let s = "héllo"
    println(s.char_at(1) == 'é', s.char_at(9) == (), s.substring(1, 3))
    println([1, 2, 3].length(), "abc".length(), 3.7.to_int(), (-3.7).to_int())
    println(sqrt(16), abs(-4), pow(2, 10))
    let t = get_time_ms()
    println(t > 1600000000000, timestamp() >= t)
}
''') == (
        "7 1.0 2.0\n[1, 2, 3] [0, 1, 2] [10, 7, 4, 1]\ntrue true él\n3 3 3 -3\n"
        "4.0 4 1024\ntrue true\n")


def test_open_reads_lines_and_names_a_missing_path(tmp_path: Path) -> None:
    (tmp_path / "in.txt").write_text("one\ntwo\n")
    prog = f'''let f = open("{tmp_path}/in.txt", "r")
println(f.read_line())
println(f.read_line())
f.close()
let g = open("{tmp_path}/nope.txt", "r")
'''
    msg, line, col, out = error(prog)
    assert out == "one\ntwo\n"
    assert (msg, line, col) == (f"cannot open file '{tmp_path}/nope.txt': No such file or "
                                "directory", 5, 9)


def test_buffered_lines_append_and_write_to_a_missing_directory(tmp_path: Path) -> None:
    # Valid Rust; expected output derived by hand from Rust's documented behaviour
    # (OpenOptions append adds at the end; BufRead::lines drops the line ends).
    prog = f'''use std::fs::{{File, OpenOptions}};
use std::io::{{BufRead, BufReader, Write}};
fn main() {{
    let path = "{tmp_path}/log.txt";
    std::fs::write(path, "a\\n").unwrap();
    let mut f = OpenOptions::new().append(true).create(true).open(path).unwrap();
    writeln!(f, "b").unwrap();
    let reader = BufReader::new(File::open(path).unwrap());
    for line in reader.lines() {{
        println!("<{{}}>", line.unwrap());
    }}
    let bad = File::create("{tmp_path}/no/such/dir.txt");
    println!("{{}}", bad.is_err());
    bad.unwrap();
}}
'''
    msg, line, _, out = error(prog)
    assert out == "<a>\n<b>\ntrue\n"
    assert line == 14 and "NotFound" in msg
