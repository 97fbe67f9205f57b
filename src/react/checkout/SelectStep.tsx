import type { CheckoutController, CheckoutSnapshot } from '../../core/checkout/index.ts';
import { formatMoney } from '../../core/money.ts';
import { MethodPicker } from '../components/MethodPicker.tsx';
import { PayButton } from '../components/PayButton.tsx';
import { StepHeading } from '../components/StepHeading.tsx';
import { UnavailableMethods } from '../components/UnavailableMethods.tsx';
import { CurrencySelect } from '../forms/CurrencySelect.tsx';
import { useI18n } from '../i18n/index.tsx';
import type { LazyState } from '../useLazy.ts';

export interface SelectStepProps {
  snapshot: CheckoutSnapshot;
  controller: CheckoutController;
  mode: 'gate' | 'payment-page';
  lazy: LazyState;
  /** The form and the amounts show a frame after the list (see `useAfterFirstPaint`). */
  formShown: boolean;
  showUnavailable: boolean | undefined;
  headingId: string;
}

/** The methods, the amount, the chosen method's form (or the Payment Page's Pay button). */
export function SelectStep({
  snapshot: s,
  controller,
  mode,
  lazy,
  formShown,
  showUnavailable,
  headingId,
}: SelectStepProps) {
  const { t, locale } = useI18n();
  const session = s.session;
  const methods = session?.methods ?? [];
  const selected = methods.find((m) => m.method === s.method);
  const option = selected?.options.find((o) => o.currency === s.currency) ?? selected?.options[0];
  const Form = s.method ? lazy.module?.METHOD_FORMS[s.method] : undefined;
  // Until the form shows (its chunk, then the frame after the list's), a placeholder keeps its place.
  const formOn = Form !== undefined && formShown;
  const busy = s.flow.phase === 'submitting';
  const errorBox = s.submitError ? (
    <p className="ecp-alert ecp-alert--error" role="alert">
      {t(`error.${s.submitError}`)}
    </p>
  ) : null;
  return (
    <section
      className="ecp-step ecp-step--select"
      aria-labelledby={headingId}
      aria-busy={mode === 'gate' && !formOn ? true : undefined}
    >
      <StepHeading id={headingId}>{t('step.method')}</StepHeading>
      {session?.description ? <p className="ecp-description">{session.description}</p> : null}
      {option && (selected?.options.length ?? 0) <= 1 ? (
        <p className={`ecp-amount ecp-amount--total${formShown ? '' : ' ecp-amount--pending'}`}>
          {t('checkout.total')}:{' '}
          <strong>{formShown ? formatMoney(option.amount, option.currency, locale) : null}</strong>
        </p>
      ) : null}
      {session?.test_mode ? <p className="ecp-badge">{t('checkout.test_mode')}</p> : null}
      {methods.length === 0 ? <p className="ecp-alert">{t('methods.none')}</p> : null}
      {methods.length === 0 && showUnavailable ? (
        <UnavailableMethods unavailable={session?.unavailable} />
      ) : null}
      {methods.length > 0 ? (
        <MethodPicker
          methods={methods}
          value={s.method}
          onChange={controller.selectMethod}
          amounts={formShown}
          unavailable={session?.unavailable}
          showUnavailable={showUnavailable}
        />
      ) : null}
      {mode === 'payment-page' ? (
        <form
          className="ecp-form ecp-form--payment-page"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void controller.submit();
          }}
        >
          {selected && selected.options.length > 1 && s.currency ? (
            <CurrencySelect
              options={selected.options}
              currency={s.currency}
              onChange={controller.selectCurrency}
            />
          ) : null}
          {errorBox}
          <PayButton amount={option?.amount} currency={option?.currency} busy={busy} />
        </form>
      ) : !selected ? null : !formOn ? (
        <div className="ecp-form-placeholder" aria-hidden="true" />
      ) : (
        <Form
          key={`${s.method}:${s.flow.attempt}`}
          options={selected.options}
          currency={s.currency}
          onCurrencyChange={controller.selectCurrency}
          defaultValues={{ ...session?.customer, ...s.fields }}
          onSubmit={(v) => void controller.submit(v)}
          busy={busy}
          aria-labelledby={headingId}
        >
          {errorBox}
        </Form>
      )}
    </section>
  );
}
