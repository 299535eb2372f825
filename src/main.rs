fn main() -> std::process::ExitCode {
    minshi::cli::main()
}
