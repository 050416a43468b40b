//! `choso`: serve Chợ Số, migrate its database, seed demo data, create the first administrator.
use anyhow::{Context, bail};
use app::domain::email::Login;
use app::domain::invalid::{NAME_MAX, required_text};
use app::domain::registry::rejections_csv_en;
use app::domain::role::Role;
use clap::{Parser, Subcommand};
use leptos::prelude::get_configuration;
use secrecy::{ExposeSecret, SecretString};
use server::config::{Secrets, Settings, SettingsArgs};
use server::startup::Application;
use std::io::BufRead;

#[derive(Parser)]
#[command(
    name = "choso",
    about = "Chợ Số — digital stalls for the markets of Lào Cai",
    after_help = server::config::help_on_other_variables()
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    settings: SettingsArgs,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default). With --demo (CHOSO_DEMO=1) an empty database is seeded
    /// first.
    Serve,
    /// Create or update the database schema, then exit.
    Migrate,
    /// Fill an empty database with the demo markets, stalls and products.
    SeedDemo,
    /// Add vendors, stalls and products until the catalogue holds --products products, to see
    /// how the site holds up at scale. The same --seed grows the same catalogue.
    Grow {
        /// How many products the catalogue should hold in all.
        #[arg(long)]
        products: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Administrator accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// The registry of every vendor, onboarded or not.
    Registry {
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// Reports for the province.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
}

#[derive(Subcommand)]
enum RegistryCommand {
    /// Import a registry CSV (columns as in the README). Rows with an `external_id` already
    /// known update that entry. Rejected rows are listed with their line numbers.
    Import {
        /// The CSV file.
        file: std::path::PathBuf,
        /// Apply nothing if any row is rejected.
        #[arg(long)]
        strict: bool,
        /// Also write the rejected rows to this CSV file.
        #[arg(long)]
        rejections: Option<std::path::PathBuf>,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Subcommand)]
enum ReportCommand {
    /// The share of vendors onboarded, per segment.
    Onboarding {
        /// The day to report on (YYYY-MM-DD, Lào Cai time); today by default.
        #[arg(long, value_parser = parse_day)]
        as_of: Option<chrono::NaiveDate>,
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
    },
}

fn parse_day(s: &str) -> Result<chrono::NaiveDate, String> {
    app::domain::onboarding::parse_date(s)
        .ok_or_else(|| format!("{s:?} is not a date like 2026-11-25"))
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
    // Help and a wrong value end here, before any setting is used.
    let cli = Cli::parse();
    let secrets = Secrets::from_env().context("reading the secrets from the environment")?;
    let settings = Settings::resolve(cli.settings, secrets)?;
    server::telemetry::init(&settings.log_filter, settings.log_format);
    match cli.command.unwrap_or(Command::Serve) {
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
        Command::Grow { products, seed } => {
            let db = server::db::connect(&settings.database_url).await?;
            server::db::migrate(&db).await?;
            let started = std::time::Instant::now();
            let grown = server::seed::grow(&db, products, seed).await?;
            println!(
                "added {} stalls and {} products in {:.1} s",
                grown.stalls,
                grown.products,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Create { login, name },
        } => {
            let db = server::db::connect(&settings.database_url).await?;
            server::db::migrate(&db).await?;
            create_admin(&db, &login, &name, settings.admin_password.clone()).await
        }
        Command::Registry {
            command:
                RegistryCommand::Import {
                    file,
                    strict,
                    rejections,
                },
        } => {
            let db = server::db::connect(&settings.database_url).await?;
            server::db::migrate(&db).await?;
            import_registry(&db, &settings, &file, strict, rejections.as_deref()).await
        }
        Command::Report {
            command: ReportCommand::Onboarding { as_of, format },
        } => {
            let db = server::db::connect(&settings.database_url).await?;
            server::db::migrate(&db).await?;
            report_onboarding(&db, &settings, as_of, format).await
        }
    }
}

async fn import_registry(
    db: &sea_orm::DatabaseConnection,
    settings: &Settings,
    file: &std::path::Path,
    strict: bool,
    rejections_file: Option<&std::path::Path>,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let checked = server::registry::check(&bytes)?;
    let bar = indicatif::ProgressBar::new(checked.rows.len() as u64).with_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} rows {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let stores = server::db::stores(db, &settings.clock);
    let progress = |done: usize| bar.set_position(done as u64);
    let summary = server::registry::import(&stores.registry, checked, strict, &progress).await?;
    bar.finish_and_clear();
    for r in &summary.rejections {
        for e in &r.errors.0 {
            eprintln!(
                "line {}: {} ({}): {}",
                r.line, e.field, r.external_id, e.invalid
            );
        }
    }
    if let Some(path) = rejections_file {
        std::fs::write(path, rejections_csv_en(&summary.rejections))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    let rejected = summary.rejected;
    if summary.applied {
        println!(
            "{} rows: {} new, {} updated, {} unchanged, {rejected} rejected",
            summary.rows, summary.created, summary.updated, summary.unchanged
        );
        Ok(())
    } else {
        bail!("{rejected} rows were rejected; with --strict nothing was imported")
    }
}

async fn report_onboarding(
    db: &sea_orm::DatabaseConnection,
    settings: &Settings,
    as_of: Option<chrono::NaiveDate>,
    format: Format,
) -> anyhow::Result<()> {
    let stores = server::db::stores(db, &settings.clock);
    let as_of = as_of.unwrap_or_else(|| settings.clock.today());
    let report = app::service::reports::report_for(&stores.registry, None, as_of)
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .report;
    match format {
        Format::Table => print!("{}", server::report::table(&report)),
        // The command line speaks English, as its table does.
        Format::Csv => print!(
            "{}",
            app::pages::report::csv::report_csv(&report, app::i18n::Locale::en)
        ),
        Format::Json => println!("{}", serde_json::to_string_pretty(&report)?),
    }
    Ok(())
}

async fn serve(settings: &Settings) -> anyhow::Result<()> {
    let conf = get_configuration(None).context("reading the Leptos settings (LEPTOS_*)")?;
    let app = Application::build(settings, conf.leptos_options).await?;
    if settings.demo && !server::seed::has_users(&app.db).await? {
        seed(&app.db, settings).await?;
        app.open_stand_in_accounts().await?;
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

/// `password` is `CHOSO_ADMIN_PASSWORD`'s; without it, the first line of standard input.
async fn create_admin(
    db: &sea_orm::DatabaseConnection,
    login: &str,
    name: &str,
    password: Option<SecretString>,
) -> anyhow::Result<()> {
    let login = Login::parse(login).map_err(|e| anyhow::anyhow!("--login: {e}"))?;
    let name = required_text(name, NAME_MAX).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let password = match password {
        Some(password) => password,
        None => {
            eprintln!("Password for the new administrator (one line on standard input):");
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the password")?;
            SecretString::from(line.trim_end_matches(['\r', '\n']))
        }
    };
    if let Err(e) = app::api::auth::check_password(password.expose_secret()) {
        bail!("password: {e}");
    }
    let id = server::seed::create_user(
        db,
        &name,
        login.clone(),
        password.expose_secret(),
        Role::Admin,
    )
    .await?;
    println!("administrator {} created (id {id})", login.as_str());
    Ok(())
}
