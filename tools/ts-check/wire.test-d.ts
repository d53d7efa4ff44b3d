// Real wire values (from tests/vectors) assigned to the generated declarations: tsc fails if a
// declaration no longer describes what the core sends and parses.
import type {
  Config,
  CqesError,
  FlowStep,
  Operations,
  SignFlowInput,
  SignRequest,
} from "../schema/ts/index";

const config: Config = {
  environment: "uat",
  relyingPartyId: "12345678",
  language: "EN",
  limits: { maxJsonResponseBytes: 8388608, maxDownloadBytes: 104857600, maxRequestBodyBytes: 31457280 },
  identificationUrl: null,
};

const request: SignRequest = {
  contents: [
    {
      contentFormat: "BINARY_BASE64",
      data: new Uint8Array([0x25, 0x50, 0x44, 0x46]),
      signatureType: "PADES_BASELINE_B",
      confirmText: "Sign the contract",
      fileName: "contract.pdf",
    },
  ],
  relyingPartyCallbackId: "rp-1",
};

const input: SignFlowInput = { identity: { personalId: "7501010010" }, request };

const accepted: Operations["btrust.sendSignRequest"]["output"] = {
  httpStatus: 202,
  responseCode: "ACCEPTED",
  code: "ACCEPTED",
  message: null,
  status: null,
  data: { callbackId: "cb-1", validity: { raw: "2023-11-14T22:18:20.000Z", epochMs: 1700000300000 } },
  raw: new Uint8Array(),
};

// Open enums keep values this version does not know.
const unknownCode: Operations["btrust.sendSignRequest"]["output"]["code"] = "A_CODE_FROM_NEXT_YEAR";

const failed: CqesError = { error: "api", httpStatus: 404, code: "NOT_FOUND", responseCode: null, message: null };

const step: FlowStep = { step: "wait", untilMs: null };

export const samples = [config, request, input, accepted, unknownCode, failed, step];
