//! `GET /v2/sign/checkclient` (getCustomerWithActiveCQESUsingGET): whether a customer has an active
//! cloud QES. The response shape is **inferred** (the Swagger names the operation only).

use crate::btrust::config::Config;
use crate::btrust::operation::{check_all, Operation};
use crate::btrust::signer::SignerIdentity;
use crate::error::Error;
use crate::http::{HttpRequest, Method, ResponseKind};
use crate::validate::{Validate, Validator};
use serde::{Deserialize, Serialize};

/// Input of [`CheckClient`].
#[crate::model]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CheckClientInput {
    /// The customer to check, addressed as in a sign request.
    pub identity: SignerIdentity,
}

impl Validate for CheckClientInput {
    fn validate(&self, v: &mut Validator) {
        v.field("identity", |v| self.identity.validate(v));
    }
}

/// `GET /v2/sign/checkclient`: whether a customer has an active cloud QES.
///
/// **Inferred shape.** Seed 000 gives only the path and purpose; no schema is public. cqes
/// designates the customer with `rpToClientAuthorization` (the portal's way of addressing a
/// client) and returns the envelope's `data` as raw JSON, whatever it holds. A 404 most likely
/// means "no active CQES". Revisit when BORICA publishes the schema.
#[derive(Debug)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CheckClient;

impl Operation for CheckClient {
    const NAME: &'static str = "btrust.checkClient";
    const METHOD: Method = Method::Get;
    const PATH: &'static str = "/v2/sign/checkclient";
    type Input = CheckClientInput;
    type Output = crate::btrust::envelope::JsonResponse;

    fn build(config: &Config, input: &Self::Input) -> Result<HttpRequest, Error> {
        check_all(config, input)?;
        Ok(config.request(
            Method::Get,
            config.url().path(Self::PATH),
            None,
            vec![input.identity.header()],
            ResponseKind::Json,
        ))
    }
}
