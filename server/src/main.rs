//! `choso`: serve Chợ Số, migrate its database, seed demo data, create the first administrator.
use anyhow::{Context, bail};
use app::domain::email::Login;
use app::domain::invalid::{NAME_MAX, required_text};
use app::domain::role::Role;
use clap::{Parser, Subcommand};
use leptos::prelude::get_configuration;
use server::config::Settings;
use server::startup::Application;
use std::io::BufRead;

#[derive(Parser)]
#[command(
    name = "choso",
    about = "Chợ Số — digital stalls for the markets of Lào Cai"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default). With CHOSO_DEMO=1 an empty database is seeded first.
    Serve,
    /// Create or update the database schema, then exit.
    Migrate,
    /// Fill an empty database with the demo markets, stalls and products.
    SeedDemo,
    /// Administrator accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a province administrator. The password is read from CHOSO_ADMIN_PASSWORD or,
    /// failing that, from the first line of standard input — never from the command line,
    /// where other users of the machine could read it.
    Create {
        /// Phone number or email address to sign in with.
        #[arg(long)]
        login: String,
        /// The administrator's full name.
        #[arg(long)]
        name: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let settings = Settings::from_env()?;
    match Cli::parse().command.unwrap_or(Command::Serve) {
        Command::Serve => serve(&settings).await,
        Command::Migrate => {
            let db = server::db::connect(&settings.database_url).await?;
            server::db::migrate(&db).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::SeedDemo => {
            let db = server::db::connect(&settings.database_url).await?;
            server::db::migrate(&db).await?;
            seed(&db, &settings).await
        }
        Command::Admin {
            command: AdminCommand::Create { login, name },
        } => {
            let db = server::db::connect(&settings.database_url).await?;
            server::db::migrate(&db).await?;
            create_admin(&db, &login, &name).await
        }
    }
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    let conf = get_configuration(None).context("reading the Leptos settings (LEPTOS_*)")?;
    let app = Application::build(settings, conf.leptos_options).await?;
    if std::env::var("CHOSO_DEMO").is_ok_and(|v| v == "1")
        && !server::seed::has_users(&app.db).await?
    {
        seed(&app.db, settings).await?;
    }
    println!("Chợ Số is serving on http://{}", app.local_addr());
    app.run().await.context("serving")
}

async fn seed(db: &sea_orm::DatabaseConnection, settings: &Settings) -> anyhow::Result<()> {
    let accounts = server::seed::seed_demo(db, settings).await?;
    println!(
        "Demo data is in place. Demo accounts (password: {}):",
        server::seed::DEMO_PASSWORD
    );
    for (role, login) in accounts {
        println!("  {role:<16} {login}");
    }
    Ok(())
}

async fn create_admin(
    db: &sea_orm::DatabaseConnection,
    login: &str,
    name: &str,
) -> anyhow::Result<()> {
    let login = Login::parse(login).map_err(|e| anyhow::anyhow!("--login: {e}"))?;
    let name = required_text(name, NAME_MAX).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let password = match std::env::var("CHOSO_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!("Password for the new administrator (one line on standard input):");
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password")?;
            line.trim_end_matches(['\r', '\n']).to_string()
        }
    };
    if let Err(e) = app::api::auth::check_password(&password) {
        bail!("password: {e}");
    }
    let id = server::seed::create_user(db, &name, login.clone(), &password, Role::Admin).await?;
    println!("administrator {} created (id {id})", login.as_str());
    Ok(())
}
