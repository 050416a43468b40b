//! The settings that are secrets. They come only from the environment, never from the command
//! line, where any user of the machine can read a process's arguments; and they never print.
use clap::{CommandFactory, Parser};
use secrecy::SecretString;

/// Declared like the other settings, but parsed from no arguments at all, so that clap has only
/// the environment to read them from; no flag exists to pass one on the command line.
#[derive(Parser, Default)]
#[command(name = "choso", disable_help_flag = true, disable_version_flag = true)]
pub struct Secrets {
    /// A Stripe secret key (sk_test_…); unset: the built-in stand-in takes card payments
    #[arg(long, env = "STRIPE_SECRET_KEY", hide_env_values = true)]
    pub stripe_secret_key: Option<SecretString>,
    /// The Stripe webhook endpoint's signing secret (whsec_…), required with a key
    #[arg(long, env = "STRIPE_WEBHOOK_SECRET", hide_env_values = true)]
    pub stripe_webhook_secret: Option<SecretString>,
    /// 64 hex digits sealing the keys vendors give for their bank-notification services
    /// (unset: a key generated once into the data folder)
    #[arg(long, env = "CHOSO_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<SecretString>,
    /// The password for choso admin create (else read from standard input)
    #[arg(long, env = "CHOSO_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<SecretString>,
}

impl Secrets {
    /// Reads them from the environment.
    pub fn from_env() -> Result<Self, clap::Error> {
        Self::try_parse_from(["choso"])
    }

    /// The help's section on them, written from the declarations above.
    pub fn help() -> String {
        let command = Self::command();
        let lines: Vec<String> = command
            .get_arguments()
            .filter_map(|arg| {
                let name = arg.get_env()?.to_string_lossy();
                Some(format!("  {name:<23} {}", arg.get_help()?))
            })
            .collect();
        format!(
            "Secrets, read only from the environment (a command line is visible to every user \
             of the machine):\n{}",
            lines.join("\n")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Secrets;

    #[test]
    fn the_help_names_each_secret_variable() {
        let help = Secrets::help();
        for name in [
            "STRIPE_SECRET_KEY",
            "STRIPE_WEBHOOK_SECRET",
            "CHOSO_ADMIN_PASSWORD",
            "CHOSO_SECRET_KEY",
        ] {
            assert!(help.contains(name), "{name} in {help}");
        }
    }
}
