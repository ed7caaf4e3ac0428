fn main() -> std::process::ExitCode {
    rencai::main()
}
