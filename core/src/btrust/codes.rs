//! `responseCode` / `code` values of the B-Trust envelope.
//!
//! 57 values come from BORICA's Swagger (with the meanings it gives; one wire value can carry
//! several internal meanings, e.g. `IN_PROGRESS`), 85 more from a later BORICA enum seen in a
//! public client (governmentbg/MVR-Centralized-Electronic-Identification-System), names only.
//! Reference: `btrust-api.md` §2.4. Anything else parses as `Unknown` and round-trips.

open_enum! {
    /// A `responseCode` or `code` value of the B-Trust envelope.
    pub enum ResponseCode {
        /// The request has been executed successfully (GENERAL_OK); Valid access token (AR_SIGN_TOKEN_VALIDATION_OK) [Swagger]
        Ok = "OK",
        /// The request has been accepted (GENERAL_ACCEPTED) [Swagger]
        Accepted = "ACCEPTED",
        /// Invalid request (BAD_REQUEST) [Swagger]
        BadRequest = "BAD_REQUEST",
        /// Not found (NOT_FOUND); Not found (NOT_FOUND_VALIDITY_EXPIRED) [Swagger]
        NotFound = "NOT_FOUND",
        /// Unexpected error has occurred (GENERAL_ERROR) [Swagger]
        Error = "ERROR",
        /// Not implemented (NOT_IMPLEMENTED) [Swagger]
        NotImplemented = "NOT_IMPLEMENTED",
        /// The request was not authorized (UNAUTHORIZED) [Swagger]
        Unauthorized = "UNAUTHORIZED",
        /// The request is rejected (REJECTED); Consent request is rejected (GET_RS_CONSENT_REJECTED) [Swagger]
        Rejected = "REJECTED",
        /// Sign request is completed (GET_SIGNEDCONTENT_COMPLETED); Consent request is completed (GET_RS_CONSENT_COMPLETED) [Swagger]
        Completed = "COMPLETED",
        /// Sign request is in progress (GET_SIGNEDCONTENT_IN_PROGRESS); Sign request is in progress (GET_EAUTH_IN_PROGRESS); Consent request is in progress (GET_RS_CONSENT_PROGRESS); Consent request failed (GET_RS_CONSENT_ERROR) [Swagger]
        InProgress = "IN_PROGRESS",
        /// Archive is not allowed since signature format is SIGNATURE (GET_SIGNEDCONTENT_ARCHIVE_SIGNATURE) [Swagger]
        ArchiveSignature = "ARCHIVE_SIGNATURE",
        /// In signing request the content is missing (GET_SIGNEDCONTENT_CONTENT_DATA_MISSING) [Swagger]
        ContentDataMissing = "CONTENT_DATA_MISSING",
        /// Consent request has expired (GET_RS_CONSENT_EXPIRED) [Swagger]
        Expired = "EXPIRED",
        /// The mobile device, with which the request for automated remote signing had been accepted, was removed from the current certificate. A new signing agreement is necessary for automated remote signing (AR_SIGN_DETACHED_DEVICE) [Swagger]
        DetachedDevice = "DETACHED_DEVICE",
        /// The user has changed their PIN for the certificate. A new signing agreement is necessary for automated remote signing (AR_SIGN_CHANGED_PIN) [Swagger]
        ChangedPin = "CHANGED_PIN",
        /// The agreement for signing was terminated by the user with reason. A new signing agreement is necessary for automated remote signing (AR_SIGN_CONSENT_REVOKE); Automatic remote signing consent revoked (AR_SIGN_CONSENT_AUTO_REVOKE) [Swagger]
        ConsentRevoke = "CONSENT_REVOKE",
        /// Invalid access token (AR_SIGN_TOKEN_VALIDATION_FAILED) [Swagger]
        ArSignTokenValidationFailed = "AR_SIGN_TOKEN_VALIDATION_FAILED",
        /// Content not found (AR_SIGN_TOKEN_NOT_FOUND) [Swagger]
        ArSignTokenNotFound = "AR_SIGN_TOKEN_NOT_FOUND",
        /// The request is taking too long. It is possible for the document to be signed successfully, check its status with callbackId (AR_SIGN_REQUEST_TIMEOUT) [Swagger]
        RequestTimeout = "REQUEST_TIMEOUT",
        /// The maximum number of requests for automated remote signing has been reached (AR_SIGN_REQUEST_EXCEED_LIMIT) [Swagger]
        RequestExceedLimit = "REQUEST EXCEED LIMIT",
        /// Unexpected error has occurred (BTOKEN_SIGN_ERROR) [Swagger]
        BtokenSignFailed = "BTOKEN_SIGN_FAILED",
        /// Unexpected error has occurred (BTOKEN_SIGNATURE_VALIDATION_ERROR) [Swagger]
        ValidationFailed = "VALIDATION_FAILED",
        /// Active certificate is not found (ACTIVE_CERTIFICATE_NOT_FOUND) [Swagger]
        ActiveCertificateNotFound = "ACTIVE_CERTIFICATE_NOT_FOUND",
        /// Invalid date (INVALID_DATE) [Swagger]
        InvalidDate = "INVALID_DATE",
        /// Unauthorized access. Security API key is missing in request header or is not provided by State e-Government Agency (EAUTH_UNAUTHORIZED_REQUEST) [Swagger]
        EauthUnauthorizedRequest = "EAUTH_UNAUTHORIZED_REQUEST",
        /// Bad request, change it and resubmit new correct request (EAUTH_BAD_REQUEST) [Swagger]
        EauthBadRequest = "EAUTH_BAD_REQUEST",
        /// The server encountered an unexpected error. Please, try again later after given time in the request's response (EAUTH_INTERNAL_SERVER_ERROR) [Swagger]
        EauthInternalServerError = "EAUTH_INTERNAL_SERVER_ERROR",
        /// There are no subject with this identifier (EAUTH_INQUIRY_NOT_FOUND) [Swagger]
        EauthInquiryNotFound = "EAUTH_INQUIRY_NOT_FOUND",
        /// This functionality is not implemented yet (EAUTH_NOT_IMPLEMENTED) [Swagger]
        EauthNotImplemented = "EAUTH_NOT_IMPLEMENTED",
        /// Invalid data in Authentication Request (EAUTH_INQUIRY_INVALID_AUTHENTICATION_REQUEST) [Swagger]
        EauthInquiryInvalidAuthenticationRequest = "EAUTH_INQUIRY_INVALID_AUTHENTICATION_REQUEST",
        /// Invalid request! Please, try again later after given time in the request's response (EAUTH_AUTHENTICATION_RESULT_INVALID_REQUEST) [Swagger]
        EauthAuthenticationResultInvalidRequest = "EAUTH_AUTHENTICATION_RESULT_INVALID_REQUEST",
        /// The authentication inquiry request is still processing. Please, try again later after given time in the request's response (EAUTH_AUTHENTICATION_RESULT_PROCESSING_INQUIRY) [Swagger]
        EauthAuthenticationResultProcessingInquiry = "EAUTH_AUTHENTICATION_RESULT_PROCESSING_INQUIRY",
        /// Invalid request data (EAUTH_ADDITIONAL_ATTRIBUTES_INVALID_REQUEST) [Swagger]
        EauthAdditionalAttributesInvalidRequest = "EAUTH_ADDITIONAL_ATTRIBUTES_INVALID_REQUEST",
        /// Given relying request party ID is not found (EAUTH_AUTHENTICATION_RESULT_EXPIRED_VALIDITY) [Swagger]
        EauthAuthenticationResultExpiredValidity = "EAUTH_AUTHENTICATION_RESULT_EXPIRED_VALIDITY",
        /// Certificate data can not be found from CMR (CMR_CERTIFICATE_DATA_NOT_FOUND) [Swagger]
        CmrCertificateDataNotFound = "CMR_CERTIFICATE_DATA_NOT_FOUND",
        /// B-Trust client is missing correspondence email (CMR_CLIENT_CORRESPONDENCE_EMAIL_NOT_FOUND) [Swagger]
        CmrClientCorrespondenceEmailNotFound = "CMR_CLIENT_CORRESPONDENCE_EMAIL_NOT_FOUND",
        /// Client's ID is invalid (CLIENT_ID_VALUE_INVALID) [Swagger]
        ClientIdValueInvalid = "CLIENT_ID_VALUE_INVALID",
        /// Client's ID value is required (CLIENT_ID_VALUE_REQUIRED) [Swagger]
        ClientIdValueRequired = "CLIENT_ID_VALUE_REQUIRED",
        /// The date of birth is required (CLIENT_DATE_OF_BIRTH_REQUIRED) [Swagger]
        ClientDateOfBirthRequired = "CLIENT_DATE_OF_BIRTH_REQUIRED",
        /// The date of birth is invalid (CLIENT_DATE_OF_BIRTH_INVALID) [Swagger]
        ClientDateOfBirthInvalid = "CLIENT_DATE_OF_BIRTH_INVALID",
        /// Ax transaction id is missing (AX_TRANSACTION_ID_MISSING) [Swagger]
        AxTransactionIdMissing = "AX_TRANSACTION_ID_MISSING",
        /// Ax agent email is missing (AX_AGENT_EMAIL_MISSING) [Swagger]
        AxAgentEmailMissing = "AX_AGENT_EMAIL_MISSING",
        /// Identification request could not be found by session id (NOT_FOUND_IDENTIFICATION_REQUEST_BY_SESSION_ID) [Swagger]
        NotFoundIdentificationRequestBySessionId = "NOT_FOUND_IDENTIFICATION_REQUEST_BY_SESSION_ID",
        /// Identification request could not be found by sign session id (NOT_FOUND_IDENTIFICATION_REQUEST_BY_SIGN_SESSION_ID) [Swagger]
        NotFoundIdentificationRequestBySignSessionId = "NOT_FOUND_IDENTIFICATION_REQUEST_BY_SIGN_SESSION_ID",
        /// Web identification request web session is not valid (IDENTIFICATION_REQUEST_FOR_WEB_SESSION_ID_IS_NOT_VALID) [Swagger]
        IdentificationRequestForWebSessionIdIsNotValid = "IDENTIFICATION_REQUEST_FOR_WEB_SESSION_ID_IS_NOT_VALID",
        /// Web identification request sign session is not valid (IDENTIFICATION_REQUEST_FOR_SIGN_SESSION_ID_IS_NOT_VALID) [Swagger]
        IdentificationRequestForSignSessionIdIsNotValid = "IDENTIFICATION_REQUEST_FOR_SIGN_SESSION_ID_IS_NOT_VALID",
        /// Web identification request web session is not in valid state (IDENTIFICATION_REQUEST_FOR_WEB_SESSION_ID_NOT_VALID_STATE) [Swagger]
        IdentificationRequestForWebSessionIdNotValidState = "IDENTIFICATION_REQUEST_FOR_WEB_SESSION_ID_NOT_VALID_STATE",
        /// Web identification request sign session is not in valid state (IDENTIFICATION_REQUEST_FOR_SIGN_SESSION_ID_NOT_VALID_STATE) [Swagger]
        IdentificationRequestForSignSessionIdNotValidState = "IDENTIFICATION_REQUEST_FOR_SIGN_SESSION_ID_NOT_VALID_STATE",
        /// CMR client not found (CMR_CLIENT_NOT_FOUND) [Swagger]
        CmrClientNotFound = "CMR_CLIENT_NOT_FOUND",
        ///  (NOT_FOUND_IDENTIFICATION_REQUEST_DOCUMENT_BY_CLIENT_HASH_IDENTIFIER_ID) [Swagger]
        NotFoundIdentificationRequestDocumentByClientHashIdentifierId = "NOT_FOUND_IDENTIFICATION_REQUEST_DOCUMENT_BY_CLIENT_HASH_IDENTIFIER_ID",
        /// Web identification request in error status (IDENTIFICATION_REQUEST_ERROR_STATUS) [Swagger]
        IdentificationRequestErrorStatus = "IDENTIFICATION_REQUEST_ERROR_STATUS",
        /// OTC crypto manager failed (OTC_CRYPTO_MANAGER_FAILED) [Swagger]
        OtcCryptoManagerFailed = "OTC_CRYPTO_MANAGER_FAILED",
        /// Web identification result not found (NOT_FOUND_WEB_IDENTIFICATION_RESULT) [Swagger]
        NotFoundWebIdentificationResult = "NOT_FOUND_WEB_IDENTIFICATION_RESULT",
        /// Not found (BIRTH_DATE_REQUIRED) [Swagger]
        BirthDateRequired = "BIRTH_DATE_REQUIRED",
        /// Not found (BIRTH_DATE_PATTERN_ERROR) [Swagger]
        BirthDatePatternError = "BIRTH_DATE_PATTERN_ERROR",
        /// Not found (FUTURE_BIRTH_DATE_ERROR) [Swagger]
        FutureBirthDateError = "FUTURE_BIRTH_DATE_ERROR",
        /// Not found (NOT_VALID_EMAIL) [Swagger]
        NotValidEmail = "NOT_VALID_EMAIL",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        AgentCancelSigningDocs = "AGENT_CANCEL_SIGNING_DOCS",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        AgentCertificateWasNotFound = "AGENT_CERTIFICATE_WAS_NOT_FOUND",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ApiRateLimitExceeded = "API_RATE_LIMIT_EXCEEDED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        BatchNotFound = "BATCH_NOT_FOUND",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        BatchSizeExceed = "BATCH_SIZE_EXCEED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        CertificateNotIssuedIdentificationRequestBySessionId = "CERTIFICATE_NOT_ISSUED_IDENTIFICATION_REQUEST_BY_SESSION_ID",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        CertReqIdInvalid = "CERT_REQ_ID_INVALID",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        CertReqIdNotFound = "CERT_REQ_ID_NOT_FOUND",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ClientAdditionalDocumentRequired = "CLIENT_ADDITIONAL_DOCUMENT_REQUIRED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ClientEmailOrPhoneRequired = "CLIENT_EMAIL_OR_PHONE_REQUIRED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ClientIdentifierDocumentBackJpegFormat = "CLIENT_IDENTIFIER_DOCUMENT_BACK_JPEG_FORMAT",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ClientIdentifierDocumentFrontJpegFormat = "CLIENT_IDENTIFIER_DOCUMENT_FRONT_JPEG_FORMAT",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ClientIdentifierDocumentJpegFormat = "CLIENT_IDENTIFIER_DOCUMENT_JPEG_FORMAT",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ClientIdentifierDocumentPicturesMismatch = "CLIENT_IDENTIFIER_DOCUMENT_PICTURES_MISMATCH",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ClientIdentifierDocumentPicturesOnlyFront = "CLIENT_IDENTIFIER_DOCUMENT_PICTURES_ONLY_FRONT",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ClientIdentifierDocumentTypeMismatch = "CLIENT_IDENTIFIER_DOCUMENT_TYPE_MISMATCH",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ClientOnboardingAlreadyRequested = "CLIENT_ONBOARDING_ALREADY_REQUESTED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ClientOnboardingMissingData = "CLIENT_ONBOARDING_MISSING_DATA",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        CountryCodeInvalid = "COUNTRY_CODE_INVALID",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        CountryCodeLimitError = "COUNTRY_CODE_LIMIT_ERROR",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        CqesCustomerExists = "CQES_CUSTOMER_EXISTS",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        FileSizeTooLarge = "FILE_SIZE_TOO_LARGE",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        IdentificationRequestCertIssueInProgress = "IDENTIFICATION_REQUEST_CERT_ISSUE_IN_PROGRESS",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        IdentificationRequestCreateSignSessionError = "IDENTIFICATION_REQUEST_CREATE_SIGN_SESSION_ERROR",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        IdentificationRequestForeignBgrUnsupported = "IDENTIFICATION_REQUEST_FOREIGN_BGR_UNSUPPORTED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        IdentificationRequestIsNotInValidState = "IDENTIFICATION_REQUEST_IS_NOT_IN_VALID_STATE",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        IdentificationRequestNotSupportedLink = "IDENTIFICATION_REQUEST_NOT_SUPPORTED_LINK",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        IdentificationRequestNotSupportedOtp = "IDENTIFICATION_REQUEST_NOT_SUPPORTED_OTP",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        IdentificationRequestSessionClosed = "IDENTIFICATION_REQUEST_SESSION_CLOSED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        IdentificationRequestSessionClosedError = "IDENTIFICATION_REQUEST_SESSION_CLOSED_ERROR",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        IdentificationRequestUtf8Unsupported = "IDENTIFICATION_REQUEST_UTF_8_UNSUPPORTED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        IdentityDataInvalid = "IDENTITY_DATA_INVALID",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        IdentityDocumentHasExpired = "IDENTITY_DOCUMENT_HAS_EXPIRED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        MvrDocumentNotFound = "MVR_DOCUMENT_NOT_FOUND",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        MvrNotAvailableInternalError = "MVR_NOT_AVAILABLE_INTERNAL_ERROR",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        NotFoundMessageIdentifier = "NOT_FOUND_MESSAGE_IDENTIFIER",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        NotValidPhone = "NOT_VALID_PHONE",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        NotValidValueForOtpOrLink = "NOT_VALID_VALUE_FOR_OTP_OR_LINK",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        OtcOtpCodeInvalid = "OTC_OTP_CODE_INVALID",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        OtpValidationActionIsAlreadyExecuted = "OTP_VALIDATION_ACTION_IS_ALREADY_EXECUTED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelBindingSequenceOrderNotValid = "PARCEL_BINDING_SEQUENCE_ORDER_NOT_VALID",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelIdentityDataRequired = "PARCEL_IDENTITY_DATA_REQUIRED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelNotInProgress = "PARCEL_NOT_IN_PROGRESS",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelNotSigned = "PARCEL_NOT_SIGNED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelNoSignableDocuments = "PARCEL_NO_SIGNABLE_DOCUMENTS",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelRecipientDuplicateIndex = "PARCEL_RECIPIENT_DUPLICATE_INDEX",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelRecipientEmailOrPhoneOnly = "PARCEL_RECIPIENT_EMAIL_OR_PHONE_ONLY",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelRecipientEmailOrPhoneRequired = "PARCEL_RECIPIENT_EMAIL_OR_PHONE_REQUIRED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelRecipientInvalidIndex = "PARCEL_RECIPIENT_INVALID_INDEX",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelRecipientNonUniqueOccurrence = "PARCEL_RECIPIENT_NON_UNIQUE_OCCURRENCE",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelRecipientNotFound = "PARCEL_RECIPIENT_NOT_FOUND",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelResendExpired = "PARCEL_RESEND_EXPIRED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelSigningCertificateMismatch = "PARCEL_SIGNING_CERTIFICATE_MISMATCH",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelTypeNotSupported = "PARCEL_TYPE_NOT_SUPPORTED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelValidityExpired = "PARCEL_VALIDITY_EXPIRED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelValidityTsNotValid = "PARCEL_VALIDITY_TS_NOT_VALID",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelVisualSignaturePersonalIdOrSequenceIndexRequired = "PARCEL_VISUAL_SIGNATURE_PERSONAL_ID_OR_SEQUENCE_INDEX_REQUIRED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelVisualSignaturePositionCount = "PARCEL_VISUAL_SIGNATURE_POSITION_COUNT",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelVisualSignaturePositionDuplicatePersonalIdOrSequenceIndex = "PARCEL_VISUAL_SIGNATURE_POSITION_DUPLICATE_PERSONAL_ID_OR_SEQUENCE_INDEX",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelVisualSignaturePositionNotAvailable = "PARCEL_VISUAL_SIGNATURE_POSITION_NOT_AVAILABLE",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelVisualSignaturePositionNotValid = "PARCEL_VISUAL_SIGNATURE_POSITION_NOT_VALID",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelVisualSignaturePositionPersonalIdCount = "PARCEL_VISUAL_SIGNATURE_POSITION_PERSONAL_ID_COUNT",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ParcelVisualSignaturePositionRecipientPersonalIdOrSequenceIndexMismatch = "PARCEL_VISUAL_SIGNATURE_POSITION_RECIPIENT_PERSONAL_ID_OR_SEQUENCE_INDEX_MISMATCH",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        PendingOnboarding = "PENDING_ONBOARDING",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        PersonMobileAppRegistrationMissing = "PERSON_MOBILE_APP_REGISTRATION_MISSING",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        PostRequestSize = "POST_REQUEST_SIZE",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RegisteredDeliveryConsentMissing = "REGISTERED_DELIVERY_CONSENT_MISSING",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RegixClientInitInternalError = "REGIX_CLIENT_INIT_INTERNAL_ERROR",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RegixNotAvailableInternalError = "REGIX_NOT_AVAILABLE_INTERNAL_ERROR",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RequestAlreadyInProcessing = "REQUEST_ALREADY_IN_PROCESSING",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RequestGenerateOfOtpFailed = "REQUEST_GENERATE_OF_OTP_FAILED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RpBasedConsentAlreadyExists = "RP_BASED_CONSENT_ALREADY_EXISTS",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RpBasedDocumentsContentFormat = "RP_BASED_DOCUMENTS_CONTENT_FORMAT",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RpBasedDocumentsContentFormatDigest = "RP_BASED_DOCUMENTS_CONTENT_FORMAT_DIGEST",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RpBasedIdentificationNotValidData = "RP_BASED_IDENTIFICATION_NOT_VALID_DATA",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RpBasedIdentificationValidationServiceFailed = "RP_BASED_IDENTIFICATION_VALIDATION_SERVICE_FAILED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RpCallbackIdDuplicate = "RP_CALLBACK_ID_DUPLICATE",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        RpSignDocsWithLinkNotSupported = "RP_SIGN_DOCS_WITH_LINK_NOT_SUPPORTED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        ServiceChannelNotTrusted = "SERVICE_CHANNEL_NOT_TRUSTED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        SignatureTypeNotValid = "SIGNATURE_TYPE_NOT_VALID",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        UserCancelSigningDocs = "USER_CANCEL_SIGNING_DOCS",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        VisualSignatureParametersValidationFailed = "VISUAL_SIGNATURE_PARAMETERS_VALIDATION_FAILED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        WebIdentificationRequestNotApiBased = "WEB_IDENTIFICATION_REQUEST_NOT_API_BASED",
        /// Listed in a later BORICA enum (MVR client); meaning not published.
        WebIdentificationRequestValidationOfOtpFailed = "WEB_IDENTIFICATION_REQUEST_VALIDATION_OF_OTP_FAILED",
        /// `REQUEST EXCEED LIMIT` as spelt by a later BORICA enum (MVR client); same meaning.
        RequestExceedLimitUnderscored = "REQUEST_EXCEED_LIMIT",
    }
}
