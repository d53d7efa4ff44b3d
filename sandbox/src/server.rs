//! Starting and stopping a sandbox: the mTLS listener with its own accept loop (so a fault
//! can drop a connection after the work is done), the control listener, the clock ticker and
//! the callback sender.

use crate::api::{self, Conn};
use crate::app::{App, Rp, Stats};
use crate::config::SandboxConfig;
use crate::http::{guard, Policy};
use crate::pki::{fingerprint, Pki};
use crate::{callbacks, control, tls, users};
use axum::extract::DefaultBodyLimit;
use axum::response::IntoResponse;
use axum::Router;
use hyper::body::Incoming;
use hyper::Request;
use hyper_util::rt::TokioIo;
use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct Options {
    /// Behaviour and registrations.
    pub config: SandboxConfig,
    /// Certificates; minted fresh (for every configured relying party) when `None`.
    pub pki: Option<Pki>,
    /// mTLS listener (default `127.0.0.1:0`, an ephemeral port).
    pub addr: SocketAddr,
    /// Control listener (default `127.0.0.1:0`). Always keep it on loopback.
    pub control_addr: SocketAddr,
    /// Listener of the customer-facing pages (identification, documents), plain HTTP on
    /// loopback (default `127.0.0.1:0`).
    pub pages_addr: SocketAddr,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            config: SandboxConfig::default(),
            pki: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            control_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            pages_addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        }
    }
}

/// A running sandbox. Dropping it does not stop it; call [`Sandbox::stop`].
#[derive(Debug)]
pub struct Sandbox {
    /// Base URL of the B-Trust API: `https://127.0.0.1:<port>/signing-api`.
    pub base_url: String,
    /// Base URL of the control API: `http://127.0.0.1:<port>`.
    pub control_url: String,
    /// Base URL of the pages customers open (`identificationUrl` for clients).
    pub pages_url: String,
    /// The certificates (client identities for relying parties included).
    pub pki: Pki,
    /// Shared state (for in-process tests).
    pub app: Arc<App>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Sandbox {
    /// Starts a sandbox.
    pub async fn start(options: Options) -> Result<Sandbox, String> {
        let config = options.config;
        config
            .check()
            .map_err(|e| format!("invalid sandbox configuration: {e}"))?;
        let pki = match options.pki {
            Some(p) => p,
            None => {
                let ids: Vec<&str> = config
                    .relying_parties
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect();
                Pki::mint(&ids)?
            }
        };
        let mut rps = Vec::new();
        for rp in &config.relying_parties {
            let fp = match (&rp.cert_fingerprint, pki.client(&rp.id)) {
                (Some(f), _) => f.to_ascii_lowercase().replace(':', ""),
                (None, Some(id)) => id.fingerprint(),
                (None, None) => {
                    return Err(format!(
                        "relying party {} has neither certFingerprint nor a certificate in the PKI",
                        rp.id
                    ))
                }
            };
            rps.push(Rp {
                config: rp.clone(),
                fingerprint: fp,
            });
        }
        let registered: HashSet<String> = rps.iter().map(|r| r.fingerprint.clone()).collect();
        let tls = tls::server_config(&pki, registered)?;
        let listener = TcpListener::bind(options.addr)
            .await
            .map_err(|e| format!("bind {}: {e}", options.addr))?;
        let control = TcpListener::bind(options.control_addr)
            .await
            .map_err(|e| format!("bind {}: {e}", options.control_addr))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let control_addr = control.local_addr().map_err(|e| e.to_string())?;
        let pages = TcpListener::bind(options.pages_addr)
            .await
            .map_err(|e| format!("bind {}: {e}", options.pages_addr))?;
        let pages_url = format!("http://{}", pages.local_addr().map_err(|e| e.to_string())?);
        let authority = Arc::new(crate::ca::Authority::new(&pki, &pages_url)?);
        let seal_id = authority.issue(&crate::ca::Holder::Seal)?;
        let base_url = format!("https://{addr}/signing-api");
        let control_url = format!("http://{control_addr}");

        let (cb_tx, cb_rx) = tokio::sync::mpsc::unbounded_channel();
        let ids = Arc::new(crate::ids::Entropy::new(config.id_seed)?);
        let clock = match config.clock_start_ms {
            Some(ms) => crate::clock::Clock::starting_at(ms),
            None => Default::default(),
        };
        let local = crate::http::LocalAddrs {
            control: control_addr,
            pages: pages.local_addr().map_err(|e| e.to_string())?,
        };
        let app = Arc::new(App {
            users: users::build(&config.users, &authority)?,
            faults: crate::faults::Faults::new(config.faults.clone()),
            behavior: Mutex::new(config.behavior.clone()),
            stats: Mutex::new(Stats::default()),
            state: Mutex::new(crate::state::State {
                ids: Some(ids.clone()),
                ..Default::default()
            }),
            ident: Mutex::new(Default::default()),
            ars: Mutex::new(Default::default()),
            seal: crate::docgen::Signer {
                cert_der: seal_id.cert_der(),
                key_pkcs8_der: seal_id.key_der(),
                authority,
            },
            pages_url: pages_url.clone(),
            clock,
            callbacks: cb_tx,
            base_url: base_url.clone(),
            ids,
            local,
            rps,
            pki: pki.clone(),
            config,
        });

        let callback_client = reqwest::Client::builder()
            .use_rustls_tls()
            .add_root_certificate(
                reqwest::Certificate::from_pem(pki.ca_cert_pem.as_bytes())
                    .map_err(|e| e.to_string())?,
            )
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| e.to_string())?;

        let (shutdown, rx) = watch::channel(false);
        let mut tasks = Vec::new();
        tasks.push(tokio::spawn(callbacks::run(
            Arc::downgrade(&app),
            cb_rx,
            callback_client,
        )));
        tasks.push(tokio::spawn(ticker(app.clone(), rx.clone())));
        tasks.push(tokio::spawn(accept_loop(
            Arc::downgrade(&app),
            listener,
            TlsAcceptor::from(Arc::new(tls)),
            router(app.clone()),
            rx.clone(),
        )));
        // The browser-facing listeners answer only to their own loopback address and origin.
        let control_router = guard(
            control::router(app.clone()),
            Policy {
                max_body: CONTROL_MAX_BODY,
                local: Some(app.local.control),
                localized: false,
            },
        );
        tasks.push(tokio::spawn(plain_loop(
            control,
            control_router,
            rx.clone(),
        )));
        let pages_router = guard(
            crate::pages::router(app.clone()),
            Policy {
                max_body: CONTROL_MAX_BODY,
                local: Some(app.local.pages),
                localized: false,
            },
        );
        tasks.push(tokio::spawn(plain_loop(pages, pages_router, rx.clone())));
        tracing::info!(target: "cqes_sandbox", %base_url, %control_url, %pages_url, "sandbox started");
        Ok(Sandbox {
            base_url,
            control_url,
            pages_url,
            pki,
            app,
            shutdown,
            tasks,
        })
    }

    /// Stops every listener and task.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        for t in self.tasks {
            t.abort();
            let _ = t.await;
        }
    }

    /// A copy of the counters.
    pub fn stats(&self) -> Stats {
        self.app.stats.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Number of sign requests stored with this rpCallbackId (0 or 1 unless something is
    /// badly wrong: the sandbox refuses duplicates).
    pub fn sign_requests_with(&self, rp_callback_id: &str) -> usize {
        self.app
            .state
            .lock()
            .map(|s| {
                s.requests
                    .values()
                    .filter(|r| r.rp_callback_id.as_deref() == Some(rp_callback_id))
                    .count()
            })
            .unwrap_or(0)
    }
}

/// Largest body the control API and the pages read (their inputs are small JSON and forms).
const CONTROL_MAX_BODY: usize = 1 << 20;

fn router(app: Arc<App>) -> Router {
    let max = app.config.max_body_bytes;
    let router = Router::new()
        .route(
            "/health",
            axum::routing::get(|| async { axum::Json(serde_json::json!({"status": "ok"})) }),
        )
        .nest(
            "/signing-api",
            api::signing::routes()
                .merge(api::ident::routes())
                .merge(api::ars::routes()),
        )
        .fallback(|| async {
            api::failure(
                404,
                "NOT_FOUND",
                "NOT_FOUND",
                crate::messages::Lang::En,
                None,
            )
            .into_response()
        })
        .layer(DefaultBodyLimit::max(max))
        .with_state(app);
    guard(
        router,
        Policy {
            max_body: max,
            local: None,
            localized: true,
        },
    )
}

async fn ticker(app: Arc<App>, mut stop: watch::Receiver<bool>) {
    loop {
        tokio::select! {
            _ = stop.changed() => return,
            _ = tokio::time::sleep(Duration::from_millis(100)) => app.tick(),
        }
    }
}

/// How long a closing connection keeps discarding what the client still sends.
const LINGER: Duration = Duration::from_secs(2);

/// Serves one connection; when the server ends it (`Connection: close`), shuts its side down
/// and discards what the client is still sending for a moment ("lingering close", as Apache and
/// nginx do), so a client still writing a large body reads the answer instead of a reset.
async fn serve<I>(io: I, router: Router, conn: Option<Conn>, mut stop: watch::Receiver<bool>)
where
    I: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let abort = conn.as_ref().map(|c| c.abort.clone()).unwrap_or_default();
    let service = hyper::service::service_fn(move |mut req: Request<Incoming>| {
        if let Some(c) = &conn {
            req.extensions_mut().insert(c.clone());
        }
        router.clone().oneshot(req.map(axum::body::Body::new))
    });
    let serving = hyper::server::conn::http1::Builder::new()
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), service)
        .without_shutdown();
    let parts = tokio::select! {
        r = serving => r,
        _ = abort.notified() => return,
        _ = stop.changed() => return,
    };
    let Ok(parts) = parts else { return };
    let mut io = parts.io.into_inner();
    let _ = tokio::time::timeout(LINGER, async {
        let _ = io.shutdown().await;
        let mut sink = vec![0u8; 64 * 1024];
        while let Ok(n) = io.read(&mut sink).await {
            if n == 0 {
                break;
            }
        }
    })
    .await;
}

/// The accept loop of a plain-HTTP loopback listener (control, pages).
async fn plain_loop(listener: TcpListener, router: Router, mut stop: watch::Receiver<bool>) {
    loop {
        let tcp = tokio::select! {
            _ = stop.changed() => return,
            r = listener.accept() => match r {
                Ok((tcp, _)) => tcp,
                Err(e) => {
                    tracing::warn!(target: "cqes_sandbox::http", error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        tokio::spawn(serve(tcp, router.clone(), None, stop.clone()));
    }
}

async fn accept_loop(
    router_app: std::sync::Weak<App>,
    listener: TcpListener,
    acceptor: TlsAcceptor,
    router: Router,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let (tcp, peer) = tokio::select! {
            _ = stop.changed() => return,
            r = listener.accept() => match r {
                Ok(x) => x,
                Err(e) => {
                    tracing::warn!(target: "cqes_sandbox::tls", error = %e, "accept failed");
                    continue;
                }
            },
        };
        let acceptor = acceptor.clone();
        let router = router.clone();
        let stop = stop.clone();
        let router_app = router_app.clone();
        tokio::spawn(async move {
            let tls = match tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp))
                .await
            {
                Ok(Ok(s)) => s,
                Ok(Err(e)) => {
                    tracing::info!(target: "cqes_sandbox::tls", %peer, error = %e, "handshake refused");
                    return;
                }
                Err(_) => return,
            };
            let fp = tls
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|c| c.first())
                .map(|c| fingerprint(c.as_ref()));
            if let Some(app) = router_app.upgrade() {
                app.count(|s| s.tls_connections += 1);
            }
            let conn = Conn {
                fingerprint: fp,
                abort: Arc::new(Notify::new()),
            };
            serve(tls, router, Some(conn), stop).await;
        });
    }
}
