//! `cqes`: sign documents with BORICA B-Trust cloud QES from the shell, run the local
//! sandbox, or watch the whole flow in `cqes demo`.
//!
//! Exit codes: 0 done; 1 unexpected failure of the tool; 2 invalid input or usage;
//! 3 the service answered with an error; 4 the signer rejected; 5 the request expired;
//! 6 transport failure (network, TLS, timeout); 7 the service's answer made no sense;
//! 8 internal contract violation; 9 automatic signing needs a new consent; 10 a service
//! limit was exceeded.

mod ars;
mod ars_demo;
mod commands;
mod demo;
mod identify;
mod output;
mod sandbox_cmd;
mod settings;

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "cqes",
    version,
    about = "Cloud qualified e-signatures with BORICA B-Trust: sign, poll, download, certificates, sandbox",
    after_help = "Exit codes: 0 ok · 2 invalid input · 3 service error · 4 rejected · 5 expired · 6 transport · 7 unexpected response · 8 internal · 9 consent needed · 10 limit exceeded"
)]
struct Cli {
    /// Machine-readable output (JSON on stdout)
    #[arg(long, global = true)]
    json: bool,
    // Connection flags before the command (`cqes --env … sign …`); the commands that
    // connect take them after their name too.
    #[command(flatten)]
    connection: settings::Connection,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Sign the bundled sample PDF end to end against an embedded sandbox
    /// (`cqes demo identify`: web identification, then one-time-certificate signing)
    #[command(args_conflicts_with_subcommands = true)]
    Demo {
        #[command(subcommand)]
        scenario: Option<DemoScenario>,
        #[command(flatten)]
        args: demo::DemoArgs,
    },
    /// Consent to automatic remote signing (request, status)
    #[command(subcommand)]
    Consent(ars::ConsentCmd),
    /// Sign files automatically with an access token from `cqes consent request`
    Autosign(ars::AutoSignArgs),
    /// Check an access token: expiry, renewal, warnings (and, with --remote, the service)
    #[command(subcommand)]
    Token(ars::TokenCmd),
    /// Identify a person (B-Trust Mobile or web identification)
    #[command(subcommand)]
    Identify(identify::IdentifyCmd),
    /// Run or prepare the local B-Trust sandbox
    #[command(subcommand)]
    Sandbox(sandbox_cmd::SandboxCmd),
    /// Send files for signing and wait for the result
    Sign(commands::SignArgs),
    /// Show the state of a sign request
    Status {
        /// The callbackId the service returned
        callback_id: Option<String>,
        /// Look it up by your own relyingPartyCallbackId instead
        #[arg(long)]
        rp_callback_id: Option<String>,
        #[command(flatten)]
        conn: settings::Connection,
    },
    /// Download a signed document by its content id
    Download {
        /// Content id (the `signature` of a signed item)
        id: String,
        /// Output file (default: the name the service gives)
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        conn: settings::Connection,
    },
    /// Look up a customer's certificate
    Cert {
        #[command(flatten)]
        by: commands::CertBy,
        /// Write the certificate (PEM) here
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        conn: settings::Connection,
    },
}

#[derive(Subcommand, Debug)]
enum DemoScenario {
    /// Web identification followed by signing with a one-time certificate, printing the URLs
    /// a real customer would open
    Identify(identify::IdentifyDemoArgs),
    /// Automatic remote signing: consent, three documents at once, then a batch of ten
    Ars(ars_demo::ArsDemoArgs),
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("CQES_LOG")
                .unwrap_or_else(|_| "off".into()),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let json = cli.json;
    let conn = cli.connection;
    let result = match cli.command {
        Command::Demo {
            scenario: None,
            args,
        } => demo::run(args, json).await,
        Command::Demo {
            scenario: Some(DemoScenario::Identify(a)),
            ..
        } => identify::demo(a, json).await,
        Command::Demo {
            scenario: Some(DemoScenario::Ars(a)),
            ..
        } => ars_demo::run(a, json).await,
        Command::Consent(cmd) => ars::consent(&conn, cmd, json).await,
        Command::Autosign(args) => ars::autosign(&conn, args, json).await,
        Command::Token(cmd) => ars::token(&conn, cmd, json).await,
        Command::Identify(cmd) => identify::run(&conn, cmd, json).await,
        Command::Sandbox(cmd) => sandbox_cmd::run(cmd, json).await,
        Command::Sign(args) => commands::sign(&conn.or(&args.conn), args, json).await,
        Command::Status {
            callback_id,
            rp_callback_id,
            conn: after,
        } => commands::status(&conn.or(&after), callback_id, rp_callback_id, json).await,
        Command::Download {
            id,
            out,
            conn: after,
        } => commands::download(&conn.or(&after), id, out, json).await,
        Command::Cert {
            by,
            out,
            conn: after,
        } => commands::cert(&conn.or(&after), by, out, json).await,
    };
    if let Err(e) = result {
        std::process::exit(output::report(&e, json));
    }
}
