//! The async client: configuration, one call per operation, and the flow runner.

use crate::identity::ClientIdentity;
use crate::transport::Transport;
use cqes_core::btrust::flows::{
    AutoSignFlow, AutoSignFlowInput, AutoSignOutcome, BatchSignFlow, BatchSignFlowInput,
    BatchSignOutcome, ConsentFlow, ConsentFlowInput, ConsentOutcome, MobileIdentificationFlow,
    MobileIdentificationOutcome, OidcSignFlow, OidcSignFlowInput, QrSignFlow, SignFlow,
    SignFlowInput, SignOutcome, WebIdentificationFlow, WebIdentificationFlowInput, WebOtcSignFlow,
    WebOtcSignFlowInput,
};
use cqes_core::btrust::identification::IdentificationRequest;
use cqes_core::btrust::{
    Config, Environment, Language, Limits, Operation, SignRequest, SignRequestViaQr, SignerIdentity,
};
use cqes_core::flow::{Flow, FlowOptions, Progress, Step};
use cqes_core::validate::{Issue, IssueCode};
use cqes_core::Error;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::sync::mpsc;

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    environment: Option<Environment>,
    relying_party_id: Option<String>,
    language: Option<Language>,
    identity: Option<ClientIdentity>,
    ca_pem: Vec<Vec<u8>>,
    only_custom_ca: bool,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    proxy: Option<String>,
    limits: Option<Limits>,
    options: Option<FlowOptions>,
    identification_url: Option<String>,
}

impl ClientBuilder {
    /// Where customers are sent for web identification (required for custom environments;
    /// defaults to BORICA's host for UAT and TEST).
    pub fn identification_url(mut self, url: impl Into<String>) -> Self {
        self.identification_url = Some(url.into());
        self
    }
    /// Which B-Trust: `Environment::Uat`, `Environment::Test` or a custom base URL.
    pub fn environment(mut self, environment: Environment) -> Self {
        self.environment = Some(environment);
        self
    }
    /// The relying-party id BORICA issued.
    pub fn relying_party_id(mut self, id: impl Into<String>) -> Self {
        self.relying_party_id = Some(id.into());
        self
    }
    /// Language of the service's messages.
    pub fn language(mut self, language: Language) -> Self {
        self.language = Some(language);
        self
    }
    /// The client certificate and key (required: every call is mutual TLS).
    pub fn identity(mut self, identity: ClientIdentity) -> Self {
        self.identity = Some(identity);
        self
    }
    /// Trusts an extra CA (PEM), e.g. the sandbox's.
    pub fn add_ca_pem(mut self, pem: &[u8]) -> Self {
        self.ca_pem.push(pem.to_vec());
        self
    }
    /// Trust only the CAs added with [`ClientBuilder::add_ca_pem`], not the public roots.
    pub fn only_custom_ca(mut self, yes: bool) -> Self {
        self.only_custom_ca = yes;
        self
    }
    /// Whole-exchange timeout (default 30 s; a timeout makes a POST "outcome unknown").
    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = Some(t);
        self
    }
    /// Connection timeout (default 10 s).
    pub fn connect_timeout(mut self, t: Duration) -> Self {
        self.connect_timeout = Some(t);
        self
    }
    /// An HTTPS proxy URL.
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }
    /// Size limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = Some(limits);
        self
    }
    /// Default options of the flows this client runs (poll timing, downloads).
    pub fn flow_options(mut self, options: FlowOptions) -> Self {
        self.options = Some(options);
        self
    }

    /// Validates the configuration and builds the HTTP client.
    pub fn build(self) -> Result<Client, Error> {
        let missing = |path: &str, what: &str| {
            Error::validation(Issue {
                path: path.into(),
                code: IssueCode::Required,
                message: format!("{what} is required"),
            })
        };
        let config = Config {
            environment: self
                .environment
                .ok_or_else(|| missing("environment", "an environment or base URL"))?,
            relying_party_id: self
                .relying_party_id
                .ok_or_else(|| missing("relyingPartyId", "the relying-party id"))?,
            language: self.language,
            limits: self.limits.unwrap_or_default(),
            identification_url: self.identification_url,
        };
        cqes_core::validate::Validate::check(&config)?;
        let identity = self
            .identity
            .ok_or_else(|| missing("identity", "a client certificate (mutual TLS)"))?;
        let invalid = |path: &str, m: String| {
            Error::validation(Issue {
                path: path.into(),
                code: IssueCode::InvalidFormat,
                message: m,
            })
        };
        let mut http = reqwest::Client::builder()
            .use_rustls_tls()
            .https_only(!base_is_loopback_http(&config))
            .redirect(reqwest::redirect::Policy::none())
            .identity(identity.reqwest()?)
            .timeout(self.timeout.unwrap_or(Duration::from_secs(30)))
            .connect_timeout(self.connect_timeout.unwrap_or(Duration::from_secs(10)))
            .pool_idle_timeout(Duration::from_secs(50))
            .tls_built_in_root_certs(!self.only_custom_ca);
        for pem in &self.ca_pem {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|_| invalid("ca", "the CA is not a PEM certificate".into()))?;
            http = http.add_root_certificate(cert);
        }
        if let Some(p) = &self.proxy {
            http = http.proxy(
                reqwest::Proxy::all(p)
                    .map_err(|_| invalid("proxy", "the proxy is not a valid URL".into()))?,
            );
        }
        let http = http
            .build()
            .map_err(|e| invalid("client", format!("cannot build the HTTP client: {e}")))?;
        Ok(Client {
            transport: Transport { http },
            config,
            options: self.options.unwrap_or_default(),
        })
    }
}

fn base_is_loopback_http(config: &Config) -> bool {
    config.environment.base_url().starts_with("http://")
}

/// Current wall-clock time in epoch milliseconds (the clock flows run on).
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

/// A B-Trust client.
#[derive(Clone, Debug)]
pub struct Client {
    transport: Transport,
    config: Config,
    options: FlowOptions,
}

impl Client {
    /// Starts a builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The configuration requests are built with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The transport (for raw requests).
    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    /// Calls one operation: build, send once, parse.
    pub async fn call<O: Operation>(&self, input: &O::Input) -> Result<O::Output, Error> {
        let request = O::build(&self.config, input)?;
        let response = self
            .transport
            .send(&request)
            .await
            .map_err(|f| Error::Transport {
                kind: f.kind,
                detail: f.detail,
            })?;
        O::parse(response)
    }

    /// Drives a flow to its end. `progress` is called after every step and at least every
    /// 250 ms while waiting; `callbacks`, when given, delivers callbacks the relying party
    /// received (they wake the flow up early).
    pub async fn run<F: Flow>(
        &self,
        flow: &mut F,
        mut progress: impl FnMut(&Progress),
        mut callbacks: Option<&mut mpsc::Receiver<F::Callback>>,
    ) -> Result<F::Outcome, Error> {
        loop {
            let step = flow.next(now_ms());
            progress(&flow.progress());
            match step {
                Step::Send(out) => match self.transport.send(&out.request).await {
                    Ok(resp) => flow.handle_response(out.id, resp, now_ms())?,
                    Err(f) => flow.handle_transport_error(out.id, f.kind, now_ms())?,
                },
                Step::Wait {
                    until_ms: Some(until),
                } => {
                    // Wake up at least every 250 ms so progress displays can count down.
                    let wait = Duration::from_millis(until.saturating_sub(now_ms()).min(250));
                    match callbacks.as_deref_mut() {
                        Some(rx) => {
                            tokio::select! {
                                _ = tokio::time::sleep(wait) => {}
                                Some(event) = rx.recv() => {
                                    // A callback for another request is not this flow's business.
                                    let _ = flow.handle_callback(&event, now_ms());
                                }
                            }
                        }
                        None => tokio::time::sleep(wait).await,
                    }
                }
                Step::Wait { until_ms: None } => {
                    return Err(Error::invalid_state(
                        "the flow waits for an answer this runner never received",
                    ))
                }
                Step::Done(outcome) => {
                    progress(&flow.progress());
                    return Ok(outcome);
                }
                Step::Failed(e) => {
                    progress(&flow.progress());
                    return Err(e);
                }
            }
        }
    }

    /// Options for a new flow: the client's defaults with 16 fresh random bytes, from which
    /// the core derives the `relyingPartyCallbackId` and the jitter seed.
    fn fresh_options(&self) -> FlowOptions {
        let mut o = self.options.clone();
        let mut entropy = [0u8; 16];
        // Only when the OS has no random source; the core then needs an explicit id.
        if getrandom::fill(&mut entropy).is_ok() {
            o.entropy = Some(cqes_core::Blob::from(entropy.to_vec()));
        }
        o
    }

    /// Starts a [`SignFlow`] (the core derives a `relyingPartyCallbackId` when the request has
    /// none).
    pub fn start_sign(
        &self,
        identity: SignerIdentity,
        request: SignRequest,
    ) -> Result<SignFlow, Error> {
        SignFlow::new(
            self.config.clone(),
            SignFlowInput { identity, request },
            self.fresh_options(),
        )
    }

    /// Signs documents through B-Trust Mobile and returns them signed (downloaded).
    pub async fn sign(
        &self,
        identity: SignerIdentity,
        request: SignRequest,
    ) -> Result<SignOutcome, Error> {
        let mut flow = self.start_sign(identity, request)?;
        self.run(&mut flow, |_| {}, None).await
    }

    /// Starts a [`MobileIdentificationFlow`] (identification through B-Trust Mobile).
    pub fn start_mobile_identification(
        &self,
        request: IdentificationRequest,
    ) -> Result<MobileIdentificationFlow, Error> {
        MobileIdentificationFlow::new(self.config.clone(), request, self.fresh_options())
    }

    /// Identifies a person through B-Trust Mobile, to the end.
    pub async fn identify_mobile(
        &self,
        request: IdentificationRequest,
    ) -> Result<MobileIdentificationOutcome, Error> {
        let mut flow = self.start_mobile_identification(request)?;
        self.run(&mut flow, |_| {}, None).await
    }

    /// Starts a [`WebIdentificationFlow`]; its progress carries the URL to send the
    /// customer's browser to (`UserAction::OpenUrl`).
    pub fn start_web_identification(
        &self,
        input: WebIdentificationFlowInput,
    ) -> Result<WebIdentificationFlow, Error> {
        WebIdentificationFlow::new(self.config.clone(), input, self.fresh_options())
    }

    /// Starts a [`WebOtcSignFlow`] (signing with a one-time certificate after web
    /// identification); its progress carries `clientDocumentUrl`.
    pub fn start_web_otc_sign(&self, input: WebOtcSignFlowInput) -> Result<WebOtcSignFlow, Error> {
        WebOtcSignFlow::new(self.config.clone(), input, self.fresh_options())
    }

    /// Starts a [`ConsentFlow`]: asks an organisation's authorised signer to consent to
    /// automatic remote signing.
    pub fn start_consent(&self, input: ConsentFlowInput) -> Result<ConsentFlow, Error> {
        ConsentFlow::new(self.config.clone(), input, self.fresh_options())
    }

    /// Obtains a consent to automatic remote signing: the access token, its expiry and the
    /// signed consent document.
    pub async fn request_consent(&self, input: ConsentFlowInput) -> Result<ConsentOutcome, Error> {
        let mut flow = self.start_consent(input)?;
        self.run(&mut flow, |_| {}, None).await
    }

    /// Starts an [`AutoSignFlow`] (sign at once with an access token).
    pub fn start_auto_sign(&self, input: AutoSignFlowInput) -> Result<AutoSignFlow, Error> {
        AutoSignFlow::new(self.config.clone(), input, self.fresh_options())
    }

    /// Signs documents at once with an access token and downloads them.
    pub async fn auto_sign(&self, input: AutoSignFlowInput) -> Result<AutoSignOutcome, Error> {
        let mut flow = self.start_auto_sign(input)?;
        self.run(&mut flow, |_| {}, None).await
    }

    /// Starts a [`BatchSignFlow`] (many documents signed in the background with an access
    /// token).
    pub fn start_batch_sign(&self, input: BatchSignFlowInput) -> Result<BatchSignFlow, Error> {
        BatchSignFlow::new(self.config.clone(), input, self.fresh_options())
    }

    /// Signs a batch with an access token; every item's outcome, signed or not.
    pub async fn sign_batch(&self, input: BatchSignFlowInput) -> Result<BatchSignOutcome, Error> {
        let mut flow = self.start_batch_sign(input)?;
        self.run(&mut flow, |_| {}, None).await
    }

    /// Starts an [`OidcSignFlow`]; its progress carries the authorisation URL to send the
    /// user's browser to (`UserAction::OpenUrl`).
    pub fn start_sign_with_oidc(&self, input: OidcSignFlowInput) -> Result<OidcSignFlow, Error> {
        OidcSignFlow::new(self.config.clone(), input, self.fresh_options())
    }

    /// Starts a [`QrSignFlow`] (the core derives a `relyingPartyCallbackId` when missing).
    pub fn start_sign_via_qr(&self, request: SignRequestViaQr) -> Result<QrSignFlow, Error> {
        QrSignFlow::new(self.config.clone(), request, self.fresh_options())
    }
}
