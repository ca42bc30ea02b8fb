using System.Security.Claims;
using BoneMetRT.Api.Features.Smart;
using BoneMetRT.Fhir;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Options;

namespace BoneMetRT.Api.Infrastructure;

/// <summary>Marks an endpoint whose every call is audited, token or not (the instance-level operation).</summary>
public sealed class AuditedEndpoint;
